/** The admin page's pure parts: who administers which organisation, and what a policy form changes. */
import type { OrgPolicy, OrgPolicyChanges, OrgStoragePolicy, SignInProvider } from "../../protocol.gen";

/** The organisations the ID token's `orgAdmin` claim names (a list of org ids; anything else: none). */
export function adminOrgs(claims: Readonly<Record<string, unknown>>): string[] {
  const value = claims.orgAdmin;
  return Array.isArray(value) ? [...new Set(value.filter((v): v is string => typeof v === "string" && v.length > 0))] : [];
}

export const PROVIDERS: readonly [SignInProvider, string][] = [
  ["google.com", "Google"],
  ["phone", "Phone"],
  ["password", "E-mail and password"],
];

export const STORAGE_LABELS: readonly [keyof OrgStoragePolicy, string][] = [
  ["chat", "Store chat"],
  ["attendance", "Store attendance"],
  ["engagement", "Store time on screen (engagement, with attendance)"],
  ["whiteboard", "Store whiteboard snapshots"],
  ["files", "Store shared files"],
  ["recordings", "Store recordings"],
];

export interface PolicyForm {
  name: string;
  domains: string;
  providers: SignInProvider[];
  retentionDays: string;
  storage: OrgStoragePolicy;
}

export function formOf(policy: OrgPolicy): PolicyForm {
  return {
    name: policy.name,
    domains: policy.domains.join("\n"),
    providers: [...policy.allowedProviders],
    retentionDays: String(policy.retentionDays),
    storage: { ...policy.storage },
  };
}

/** Domains typed one per line or separated by commas or spaces, lower-cased, each once. */
export function parseDomains(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((d) => d.trim().toLowerCase().replace(/^@/, "")).filter(Boolean))];
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** What the form changes of the policy (null: nothing), or the problem to show. */
export function policyChanges(policy: OrgPolicy, form: PolicyForm): { changes: OrgPolicyChanges | null } | { error: string } {
  const changes: OrgPolicyChanges = {};
  const name = form.name.trim();
  if (!name) return { error: "The organisation needs a name." };
  if (name !== policy.name) changes.name = name;
  const domains = parseDomains(form.domains);
  if (!same(domains, policy.domains)) changes.domains = domains;
  if (!same(form.providers, policy.allowedProviders)) changes.allowedProviders = [...form.providers];
  const days = Number(form.retentionDays);
  if (!Number.isInteger(days) || days < 1 || days > policy.maxRetentionDays) {
    return { error: `Keep records between 1 and ${policy.maxRetentionDays} days.` };
  }
  if (days !== policy.retentionDays) changes.retentionDays = days;
  const storage: Partial<OrgStoragePolicy> = {};
  for (const [key] of STORAGE_LABELS) if (form.storage[key] !== policy.storage[key]) storage[key] = form.storage[key];
  if (Object.keys(storage).length) changes.storage = storage;
  return { changes: Object.keys(changes).length ? changes : null };
}
