/** How "My data" names and groups the records of my_data (pure; describe.test.ts). */
import type { MyRecord, StoredIn } from "../../protocol.gen";
import { formatDateTime } from "../../ui/dates";

export const PLACES: Record<StoredIn, string> = {
  auth: "Your account",
  identities: "Your sign-in identity",
  joins: "Meetings you joined",
  participants: "Your place in meetings",
  meetings: "Meetings you created",
  cdrs: "Call records (your connections)",
  archives: "Your organisation's archives",
  join_attempts: "Wrong meeting passwords",
  quotas: "Usage counters",
};

/** The order of the sections. */
export const ORDER: StoredIn[] = ["auth", "identities", "cdrs", "joins", "participants", "meetings", "archives", "join_attempts", "quotas"];

export function recordTitle(record: MyRecord): string {
  switch (record.storedIn) {
    case "auth":
      return "Your account";
    case "identities":
      return "Your sign-in identity";
    case "cdrs":
      return `Connection with ${record.otherName ?? "someone"} in ${record.meetingId ?? "a meeting"}`;
    case "joins":
      return `Joined ${record.meetingId ?? "a meeting"}`;
    case "participants":
      return `In ${record.meetingId ?? "a meeting"}`;
    case "meetings":
      return `Meeting ${record.meetingId ?? record.id}`;
    case "archives":
      return `Archive of ${record.meetingId ?? "a meeting"}`;
    case "join_attempts":
      return `Wrong passwords for ${record.meetingId ?? "a meeting"}`;
    case "quotas":
      return `Usage counter ${record.id.split("~")[0] ?? ""}${record.meetingId ? ` in ${record.meetingId}` : ""}`;
  }
}

export function formatWhen(iso: string | null, locale?: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : formatDateTime(date, { locale, utc: true });
}

export function grouped(records: MyRecord[]): [StoredIn, MyRecord[]][] {
  const groups = new Map<StoredIn, MyRecord[]>();
  for (const record of records) groups.set(record.storedIn, [...(groups.get(record.storedIn) ?? []), record]);
  return ORDER.filter((where) => groups.has(where)).map((where) => [where, groups.get(where) ?? []]);
}

/** What "delete me" would do: how many records go now, and those that stay until a date. */
export function deletionPlan(records: MyRecord[]): { goNow: number; kept: MyRecord[]; lastKept: string | null } {
  const kept = records.filter((r) => r.onDelete === "kept");
  const dates = kept.map((r) => r.deleteAfter).filter((d): d is string => !!d).sort();
  return { goNow: records.length - kept.length, kept, lastKept: dates.at(-1) ?? null };
}
