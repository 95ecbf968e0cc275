/**
 * The words of what organisations store in a meeting (the lobby's notice and the room's banner).
 * Pure: from meeting_info's `storage` / `storedOfYou`, or from the roster's `storedBy`.
 */
import type { StorageKind, StorageNotice, StoredBy } from "../../protocol.gen";

/** Each kind in plain words, in the order they are listed. */
export const KIND_WORDS: Readonly<Record<StorageKind, string>> = {
  chat: "chat",
  attendance: "attendance",
  engagement: "time on screen",
  whiteboard: "whiteboard",
  files: "shared files",
  recordings: "recordings",
};
const ORDER = Object.keys(KIND_WORDS) as StorageKind[];

/** "a", "a and b", "a, b and c". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

export function kindWords(kinds: readonly StorageKind[]): string {
  return listWords(ORDER.filter((kind) => kinds.includes(kind)).map((kind) => KIND_WORDS[kind]));
}

export const NOTHING_OF_YOU = "Nothing of you is stored beyond the call record.";

/** The lobby's lines (before joining: counts, no names); empty when nothing is stored. */
export function lobbyLines(
  storage: readonly StorageNotice[],
  storedOfYou: readonly StorageKind[],
  storedOfYouBy: string | null = null,
): string[] {
  const lines = storage
    .filter((notice) => notice.kinds.length > 0 && notice.members > 0)
    .map((n) => `${n.orgName} stores ${kindWords(n.kinds)} of its ${n.members === 1 ? "member" : `${n.members} members`} here.`);
  const yours = storedOfYouBy ? `Your organisation ${storedOfYouBy}` : "Your organisation";
  if (storedOfYou.length) lines.push(`${yours} will store your ${kindWords(storedOfYou)} in this meeting if you join.`);
  else if (lines.length) lines.push(NOTHING_OF_YOU);
  return lines;
}

/** Someone in the meeting, with what their organisation stores of them. */
export interface StoredPerson {
  uid: string;
  name: string;
  storedBy?: StoredBy;
}

/** One organisation (and one set of kinds: a policy is fixed at each member's join) and its members here. */
export interface StorageGroup {
  orgId: string;
  orgName: string;
  kinds: StorageKind[];
  /** Their names, "you" first when we are one of them. */
  names: string[];
}

/** The room's groups, by organisation then kinds; `me` is named "you". */
export function storageGroups(people: readonly StoredPerson[], myUid: string): StorageGroup[] {
  const groups = new Map<string, StorageGroup & { mine: boolean }>();
  for (const person of people) {
    const by = person.storedBy;
    if (!by || !by.kinds.length) continue;
    const kinds = ORDER.filter((kind) => by.kinds.includes(kind));
    const key = `${by.orgId}\u0000${kinds.join()}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { orgId: by.orgId, orgName: by.orgName, kinds, names: [], mine: false }));
    if (person.uid === myUid) group.mine = true;
    else group.names.push(person.name);
  }
  return [...groups.values()]
    .map(({ mine, ...group }) => ({ ...group, names: mine ? ["you", ...group.names.sort()] : group.names.sort() }))
    .sort((a, b) => a.orgName.localeCompare(b.orgName) || a.kinds.join().localeCompare(b.kinds.join()));
}

export function groupLine(group: StorageGroup): string {
  return `${group.orgName} stores ${kindWords(group.kinds)} of ${listWords(group.names)}.`;
}

/** The room's banner lines; empty (no banner) when nothing is stored of anyone. */
export function roomLines(groups: readonly StorageGroup[]): string[] {
  if (!groups.length) return [];
  const lines = groups.map(groupLine);
  if (!groups.some((g) => g.names[0] === "you")) lines.push(NOTHING_OF_YOU);
  return lines;
}

/** What to announce when the banner changes (null: the same, or the first look). */
export function storageChangeNotice(before: readonly string[] | null, after: readonly string[]): string | null {
  if (before === null || before.join("\n") === after.join("\n")) return null;
  if (!after.length) return "Nothing is stored in this meeting beyond the call record any more.";
  return `What is stored changed: ${after.join(" ")}`;
}
