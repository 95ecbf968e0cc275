/**
 * "My data" (/my-data, lazy-loaded, signed in): everything the server keeps about the person
 * (my_data), each record with the date it is deleted, and "delete me" (delete_me) with what
 * stays, until when and why, said before and after.
 */
import { signOut, type User } from "firebase/auth";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { call } from "../../core/api/client";
import { describeFailure } from "../../core/api/errors";
import type { View } from "../../core/router/router";
import { auth } from "../../firebase";
import type { DeleteMeResult, MyDataResult, MyRecord } from "../../protocol.gen";
import { Icon } from "../../ui/Icon";
import { InfoPage } from "../../ui/InfoPage";
import { deletionPlan, formatWhen, grouped, PLACES, recordTitle } from "./describe";
import "../privacy/privacy.css";

type State =
  | { kind: "loading" }
  | { kind: "failed"; message: string }
  | { kind: "loaded"; data: MyDataResult };

/** The outcome of a deletion, shown after the sign-out that follows it. */
let lastDeletion: DeleteMeResult | null = null;

function Record({ record }: { record: MyRecord }) {
  return (
    <li class="mydata-record" data-stored-in={record.storedIn} data-record-id={record.id}>
      <h3>{recordTitle(record)}</h3>
      {record.at ? <p class="mydata-when">{formatWhen(record.at)}</p> : null}
      <p data-delete-after={record.deleteAfter ?? ""}>
        <strong>Deleted: </strong>
        {record.deleteAfter ? `on ${formatWhen(record.deleteAfter)} at the latest` : "with its meeting"}
      </p>
      {record.onDelete === "kept" ? <p class="mydata-kept">{`Stays if you delete your data: ${record.why}`}</p> : null}
      <details>
        <summary>{`What is stored (${record.fields.length} fields)`}</summary>
        <table class="mydata-fields">
          <tbody>
            {record.fields.map((f) => (
              <tr key={f.field}>
                <th scope="row">
                  <code>{f.field}</code>
                </th>
                <td>{f.value ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </li>
  );
}

function DeleteSection({ data, onDeleted }: { data: MyDataResult; onDeleted: (r: DeleteMeResult) => void }) {
  const plan = deletionPlan(data.records);
  const [sure, setSure] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ text: string; signInAgain: boolean } | null>(null);
  const remove = async () => {
    setBusy(true);
    setProblem(null);
    try {
      onDeleted(await call("delete_me", { confirm: true }));
    } catch (error) {
      const failure = describeFailure(error);
      const signInAgain = failure.reason === "recent-sign-in-required";
      setProblem({
        text: signInAgain
          ? "To make sure it is you, sign in again, then delete your data within 15 minutes."
          : "Your data could not be deleted just now. Nothing was lost: try again in a moment.",
        signInAgain,
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="mydata-danger" aria-labelledby="mydata-delete">
      <h2 id="mydata-delete">Delete my data</h2>
      <p>
        {`This leaves any meeting you are in and deletes ${plan.goNow} record${plan.goNow === 1 ? "" : "s"} at once, `}
        your account included. You can sign in again later as a new person.
      </p>
      {plan.kept.length ? (
        <p class="mydata-kept">
          {`${plan.kept.length} record${plan.kept.length === 1 ? "" : "s"} must stay until ${formatWhen(plan.lastKept)} at the latest: `}
          the call records of your connections are also the other person's record, kept for lawful requests for a week at
          most; organisation archives and meetings others are still in follow their own rules. Each is marked above.
        </p>
      ) : null}
      <label class="privacy-switch">
        <input type="checkbox" checked={sure} onChange={(e) => setSure(e.currentTarget.checked)} />
        I understand that this cannot be undone
      </label>
      <p>
        <button class="btn btn-danger" type="button" disabled={!sure || busy} onClick={() => void remove()}>
          <Icon name="trash" />
          {busy ? "Deleting…" : "Delete my data now"}
        </button>
      </p>
      {problem ? (
        <p class="form-error" role="alert">
          {problem.text}{" "}
          {problem.signInAgain ? (
            <button class="btn btn-secondary" type="button" onClick={() => void signOut(auth)}>
              Sign in again
            </button>
          ) : null}
        </p>
      ) : null}
    </section>
  );
}

function Deleted({ result }: { result: DeleteMeResult }) {
  const deleted = result.deleted.reduce((n, d) => n + d.count, 0);
  return (
    <section aria-labelledby="mydata-done" data-deleted={String(deleted)}>
      <h2 id="mydata-done">Your data has been deleted</h2>
      <p role="status">{`${deleted} record${deleted === 1 ? " was" : "s were"} deleted, your account included.`}</p>
      {result.kept.length ? (
        <>
          <p>These stay until the date shown, then the hourly clean-up deletes them:</p>
          <ul class="privacy-records">
            {result.kept.map((r) => (
              <Record key={`${r.storedIn}/${r.id}`} record={r} />
            ))}
          </ul>
        </>
      ) : (
        <p>Nothing about you is left on the server.</p>
      )}
    </section>
  );
}

function MyData({ user }: { user: User | null }) {
  const [state, setState] = useState<State>({ kind: "loading" });
  const [deleted, setDeleted] = useState<DeleteMeResult | null>(lastDeletion);
  useEffect(() => {
    if (!user || deleted) return;
    call("my_data", {}).then(
      (data) => setState({ kind: "loaded", data }),
      () => setState({ kind: "failed", message: "Your data could not be loaded. Try again in a moment." }),
    );
  }, [user, deleted]);
  const onDeleted = (result: DeleteMeResult) => {
    lastDeletion = result;
    setDeleted(result);
    void signOut(auth); // the account is gone: its session must go too
  };
  return (
    <InfoPage link={{ href: "/privacy", label: "Privacy" }}>
      <h1>My data</h1>
      {deleted ? (
        <Deleted result={deleted} />
      ) : state.kind === "loading" ? (
        <p class="muted" role="status">
          Loading what is stored about you…
        </p>
      ) : state.kind === "failed" ? (
        <p class="form-error" role="alert">
          {state.message}
        </p>
      ) : (
        <>
          <p>
            {`Everything the server keeps about you, ${state.data.records.length} records, as of ${formatWhen(state.data.retrievedAt)}. `}
            Each is deleted on the date shown at the latest. Your meetings' audio, video, chat, files and whiteboard are
            not here: they never reach the server.
          </p>
          {grouped(state.data.records).map(([where, records]) => (
            <section key={where} aria-label={PLACES[where]}>
              <h2>{PLACES[where]}</h2>
              <ul class="privacy-records">
                {records.map((r) => (
                  <Record key={`${r.storedIn}/${r.id}`} record={r} />
                ))}
              </ul>
            </section>
          ))}
          <DeleteSection data={state.data} onDeleted={onDeleted} />
        </>
      )}
    </InfoPage>
  );
}

/** A deletion happened in this tab: its outcome is what the signed-out page shows. */
export function hasDeletionResult(): boolean {
  return lastDeletion !== null;
}

export function mountMyData(root: HTMLElement, user: User | null): View {
  render(<MyData user={user} />, root);
  document.title = "My data · AVMeets";
  return {
    destroy() {
      render(null, root);
      document.title = "AVMeets";
    },
  };
}
