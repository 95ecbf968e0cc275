/**
 * The organisation admin page (/admin, lazy-loaded): for each organisation the ID token's
 * `orgAdmin` claim names, its policy (name, domains, sign-in providers, retention, the six
 * opt-ins) saved through org_admin "set", the audit of changes, and the export as JSON and CSV.
 * The server checks the claim on every call; this page only shows what it answers.
 */
import type { User } from "firebase/auth";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { call } from "../../core/api/client";
import { describeFailure } from "../../core/api/errors";
import { ORG_ADMIN_SET_POLICY } from "../../core/api/policies";
import type { View } from "../../core/router/router";
import type { OrgAdminResult, OrgAuditEntry, OrgPolicy } from "../../protocol.gen";
import { InfoPage } from "../../ui/InfoPage";
import { saveBlob } from "../../ui/download";
import { formatDateTime } from "../../ui/dates";
import { exportFiles } from "./exportFiles";
import { adminOrgs, formOf, policyChanges, PROVIDERS, STORAGE_LABELS, type PolicyForm } from "./policyForm";
import "../privacy/privacy.css";
import "./admin.css";

function failureText(error: unknown, orgId: string): string {
  const failure = describeFailure(error);
  if (failure.reason === "not-an-org-admin") return `You are not an administrator of ${orgId}. Ask the operator to add you.`;
  if (failure.code === "invalid-argument") return `The server refused this: ${failure.message}`;
  return "The organisation could not be reached just now. Try again in a moment.";
}

function download(name: string, type: string, text: string): void {
  saveBlob(new Blob([text], { type }), name);
}

function PolicyEditor(props: { policy: OrgPolicy; onSaved: (result: OrgAdminResult) => void }) {
  const { policy } = props;
  const id = (what: string) => `admin-${policy.orgId}-${what}`;
  const [form, setForm] = useState<PolicyForm>(() => formOf(policy));
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  useEffect(() => setForm(formOf(policy)), [policy]);
  const change = (patch: Partial<PolicyForm>) => setForm((f) => ({ ...f, ...patch }));
  const save = async (event: Event) => {
    event.preventDefault();
    const outcome = policyChanges(policy, form);
    if ("error" in outcome) return setMessage({ text: outcome.error, error: true });
    if (!outcome.changes) return setMessage({ text: "Nothing changed.", error: false });
    setBusy(true);
    try {
      props.onSaved(await call("org_admin", { orgId: policy.orgId, action: "set", changes: outcome.changes }, {}, ORG_ADMIN_SET_POLICY));
      setMessage({ text: "Saved. New meetings follow the new policy; people already in a meeting keep what it was when they joined.", error: false });
    } catch (error) {
      setMessage({ text: failureText(error, policy.orgId), error: true });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="admin-policy" onSubmit={(e) => void save(e)} aria-labelledby={id("policy")}>
      <h3 id={id("policy")}>Policy</h3>
      <div class="field">
        <label for={id("name")}>Name</label>
        <input id={id("name")} value={form.name} maxLength={100} onInput={(e) => change({ name: e.currentTarget.value })} />
      </div>
      <div class="field">
        <label for={id("domains")}>E-mail domains (one per line)</label>
        <textarea id={id("domains")} rows={3} value={form.domains} onInput={(e) => change({ domains: e.currentTarget.value })} />
      </div>
      <fieldset>
        <legend>Allowed sign-in (none ticked: all)</legend>
        {PROVIDERS.map(([provider, label]) => (
          <label key={provider} class="privacy-switch">
            <input
              type="checkbox"
              checked={form.providers.includes(provider)}
              onChange={(e) => change({ providers: e.currentTarget.checked ? [...form.providers, provider] : form.providers.filter((p) => p !== provider) })}
            />
            {label}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for={id("retention")}>{`Keep records for (days, at most ${policy.maxRetentionDays})`}</label>
        <input id={id("retention")} type="number" min={1} max={policy.maxRetentionDays} value={form.retentionDays} onInput={(e) => change({ retentionDays: e.currentTarget.value })} />
      </div>
      <fieldset>
        <legend>What the organisation stores of its members (everyone in their meetings sees it)</legend>
        {STORAGE_LABELS.map(([key, label]) => (
          <label key={key} class="privacy-switch">
            <input type="checkbox" checked={form.storage[key]} onChange={(e) => change({ storage: { ...form.storage, [key]: e.currentTarget.checked } })} />
            {label}
          </label>
        ))}
      </fieldset>
      <button class="btn btn-primary" type="submit" disabled={busy}>
        {busy ? "Saving…" : "Save policy"}
      </button>
      {message ? (
        <p class={message.error ? "form-error" : "muted"} role={message.error ? "alert" : "status"}>
          {message.text}
        </p>
      ) : null}
    </form>
  );
}

function AuditList({ orgId, audit }: { orgId: string; audit: readonly OrgAuditEntry[] }) {
  return (
    <section aria-labelledby={`admin-${orgId}-audit`}>
      <h3 id={`admin-${orgId}-audit`}>Changes</h3>
      {audit.length ? (
        <table class="admin-audit">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody>
            {audit.map((entry, i) => (
              <tr key={`${entry.at}-${i}`}>
                <td>{formatDateTime(entry.at)}</td>
                <td>{entry.by}</td>
                <td>
                  {entry.changes.map((c) => (
                    <div key={c.field}>{`${c.field}: ${c.old} → ${c.new}`}</div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">No changes recorded yet.</p>
      )}
    </section>
  );
}

function ExportButton({ orgId }: { orgId: string }) {
  const [state, setState] = useState<{ busy: boolean; text: string; error: boolean }>({ busy: false, text: "", error: false });
  const run = async () => {
    setState({ busy: true, text: "Exporting…", error: false });
    try {
      const result = await call("org_admin", { orgId, action: "export" });
      const data = result.export ?? { chat: [], attendance: [], objects: [] };
      for (const file of exportFiles(orgId, data, new Date().toISOString().slice(0, 10))) download(file.name, file.type, file.text);
      const text = `Exported ${data.chat.length} messages, ${data.attendance.length} attendance records and a list of ${data.objects.length} stored objects.`;
      setState({ busy: false, text, error: false });
    } catch (error) {
      setState({ busy: false, text: failureText(error, orgId), error: true });
    }
  };
  return (
    <section aria-labelledby={`admin-${orgId}-export`}>
      <h3 id={`admin-${orgId}-export`}>Export</h3>
      <p class="muted">The organisation's stored chat, attendance with engagement, and its stored objects, as JSON and CSV files.</p>
      <button class="btn btn-secondary" type="button" disabled={state.busy} onClick={() => void run()}>
        Export
      </button>
      {state.text ? (
        <p class={state.error ? "form-error" : "muted"} role={state.error ? "alert" : "status"}>
          {state.text}
        </p>
      ) : null}
    </section>
  );
}

function OrgSection({ orgId }: { orgId: string }) {
  const [result, setResult] = useState<OrgAdminResult | null>(null);
  const [problem, setProblem] = useState("");
  useEffect(() => {
    call("org_admin", { orgId, action: "get" }).then(setResult, (error: unknown) => setProblem(failureText(error, orgId)));
  }, [orgId]);
  return (
    <section class="admin-org" aria-labelledby={`admin-${orgId}-title`} data-org-id={orgId}>
      <h2 id={`admin-${orgId}-title`}>{result?.policy.name ?? orgId}</h2>
      {problem ? (
        <p class="form-error" role="alert">
          {problem}
        </p>
      ) : !result ? (
        <p class="muted" role="status">
          Loading the organisation…
        </p>
      ) : (
        <>
          <PolicyEditor policy={result.policy} onSaved={setResult} />
          <AuditList orgId={orgId} audit={result.audit} />
          <ExportButton orgId={orgId} />
        </>
      )}
    </section>
  );
}

function Admin({ user }: { user: User }) {
  const [orgs, setOrgs] = useState<string[] | null>(null);
  useEffect(() => {
    // Fresh from the server: an operator may have just made this account an admin.
    user.getIdTokenResult(true).then(
      (token) => setOrgs(adminOrgs(token.claims)),
      () => setOrgs([]),
    );
  }, [user]);
  return (
    <InfoPage link={{ href: "/", label: "Home" }}>
      <h1>Organisation admin</h1>
      {orgs === null ? (
        <p class="muted" role="status">
          Checking your account…
        </p>
      ) : orgs.length ? (
        orgs.map((orgId) => <OrgSection key={orgId} orgId={orgId} />)
      ) : (
        <p class="form-error" role="alert">
          This account is not an administrator of any organisation. The operator names administrators.
        </p>
      )}
    </InfoPage>
  );
}

export function mountAdminPage(root: HTMLElement, user: User): View {
  render(<Admin user={user} />, root);
  document.title = "Organisation admin · AVMeets";
  return {
    destroy() {
      render(null, root);
      document.title = "AVMeets";
    },
  };
}
