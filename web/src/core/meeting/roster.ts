/**
 * The roster: who is in the meeting, from the participants collection (docs/protocol.md section
 * 3). Pure: `diffRoster` takes the collection as the server has it now, the roster so far and the
 * connections, and says what changed, which connections to drop and what the server says of us.
 */
import type { HostPermission, ParticipantRole, ParticipantState, StorageKind, StoredBy } from "../../protocol.gen";
import { permissionsOf } from "./held";
import { millisOf } from "./timestamps";

export interface Participant {
  uid: string;
  displayName: string;
  session: string;
  state: ParticipantState;
  /** host: the meeting's creator; cohost: named by the host; both run the meeting. */
  role: ParticipantRole;
  /** What their organisation stores of them in this meeting (absent: nothing beyond the CDR). */
  storedBy?: StoredBy;
  /** What a host let them do although it is turned off for participants (absent: nothing). */
  permitted?: HostPermission[];
  /** The breakout room a host put them in (absent: the main room); we connect only within ours. */
  room?: number;
  /** While they ask the hosts to come to their breakout room: since when (epoch ms, the server's). */
  helpAt?: number;
  /** While they ask: a host answered "later" (the hosts are busy; the call stands). */
  helpLater?: true;
}

/** A participant document as read (fields unchecked). */
export interface RawParticipant {
  id: string;
  data: Readonly<Record<string, unknown>>;
}

/** What the roster needs to know of a connection. */
export interface LinkInfo {
  remoteSession: string;
  /** How long ago the connection started (ms). */
  ageMs: number;
}

export interface LinkDrop {
  uid: string;
  reason: string;
  /** Report the connection closed to the server (false: the other side went away itself). */
  report: boolean;
}

/** What the collection says of our own participant document. */
export type OwnStatus =
  | { kind: "present"; session: string; role: ParticipantRole; room: number | null }
  | { kind: "left"; endCause: string | null }
  /** A host removed us: we must not join again (only a knock a host admits lets us back). */
  | { kind: "removed" }
  | { kind: "missing" };

export interface RosterDiff {
  roster: Map<string, Participant>;
  changed: boolean;
  drops: LinkDrop[];
  own: OwnStatus;
}

/** A connection a brand-new participant just offered may be ahead of the snapshot: kept this long. */
export const NEW_LINK_GRACE_MS = 10_000;

const ROLES: readonly ParticipantRole[] = ["host", "cohost", "participant"];
const STORAGE_KINDS: readonly StorageKind[] = ["chat", "attendance", "engagement", "whiteboard", "files", "recordings"];

/** A document's storedBy, checked (unknown kinds dropped); undefined when absent, malformed or empty. */
export function storedByOf(value: unknown): StoredBy | undefined {
  if (!value || typeof value !== "object") return undefined;
  const { orgId, orgName, kinds } = value as Record<string, unknown>;
  if (typeof orgId !== "string" || !orgId || !Array.isArray(kinds)) return undefined;
  const known = STORAGE_KINDS.filter((kind) => kinds.includes(kind));
  if (!known.length) return undefined;
  return { orgId, orgName: typeof orgName === "string" && orgName.trim() ? orgName.trim() : orgId, kinds: known };
}

function sameStoredBy(a: StoredBy | undefined, b: StoredBy | undefined): boolean {
  return a?.orgId === b?.orgId && a?.orgName === b?.orgName && (a?.kinds ?? []).join() === (b?.kinds ?? []).join();
}

export function toParticipant(raw: RawParticipant): Participant {
  const { state, role } = raw.data;
  const participant: Participant = {
    uid: raw.id,
    displayName: String(raw.data.displayName ?? "Guest"),
    session: String(raw.data.session ?? ""),
    state: state === "joined" ? "joined" : state === "removed" ? "removed" : "left",
    role: ROLES.includes(role as ParticipantRole) ? (role as ParticipantRole) : "participant",
  };
  const storedBy = storedByOf(raw.data.storedBy);
  if (storedBy) participant.storedBy = storedBy;
  const permitted = permissionsOf(raw.data.permitted);
  if (permitted.length) participant.permitted = permitted;
  const room = raw.data.room;
  if (typeof room === "number" && Number.isInteger(room) && room > 0) participant.room = room;
  const helpAt = millisOf(raw.data.helpAt);
  if (helpAt > 0) participant.helpAt = helpAt;
  if (helpAt > 0 && millisOf(raw.data.helpLaterAt) > 0) participant.helpLater = true;
  return participant;
}

/** The room a participant is in: null for the main room. */
export const roomOf = (participant: Pick<Participant, "room"> | undefined): number | null => participant?.room ?? null;

/** The same person as the roster shows them (name, role, what is stored, what is permitted). */
function samePerson(a: Participant, b: Participant): boolean {
  return (
    a.displayName === b.displayName && a.role === b.role && roomOf(a) === roomOf(b) && a.helpAt === b.helpAt && a.helpLater === b.helpLater &&
    sameStoredBy(a.storedBy, b.storedBy) && (a.permitted ?? []).join() === (b.permitted ?? []).join()
  );
}

/** What our own participant document (as read) says of us. */
export function ownStatusOf(raw: RawParticipant | undefined): OwnStatus {
  if (!raw) return { kind: "missing" };
  const me = toParticipant(raw);
  if (me.state === "removed") return { kind: "removed" };
  if (me.state === "left") return { kind: "left", endCause: raw.data.endCause == null ? null : String(raw.data.endCause) };
  return { kind: "present", session: me.session, role: me.role, room: roomOf(me) };
}

/** Whether this participant runs the meeting (host or co-host). */
export function isHost(participant: Pick<Participant, "role"> | undefined): boolean {
  return participant?.role === "host" || participant?.role === "cohost";
}

/** `myRoom`: the breakout room we joined (null: the main room); a connection to someone in
 * another room goes (they stay in the roster: everyone is shown). */
export function diffRoster(
  myUid: string,
  known: ReadonlyMap<string, Participant>,
  links: ReadonlyMap<string, LinkInfo>,
  docs: readonly RawParticipant[],
  myRoom: number | null = null,
): RosterDiff {
  const roster = new Map(known);
  const drops: LinkDrop[] = [];
  const present = new Set<string>();
  let changed = false;
  for (const raw of docs) {
    if (raw.id === myUid) continue;
    const participant = toParticipant(raw);
    const uid = participant.uid;
    const link = links.get(uid);
    if (participant.state !== "joined") {
      // Left, or removed by a host (who already ended the CDR legs): close at once.
      if (roster.delete(uid)) changed = true;
      if (link && link.remoteSession === participant.session) drops.push({ uid, reason: `participant ${participant.state}`, report: false });
      continue;
    }
    present.add(uid);
    const before = roster.get(uid);
    if (!before || before.session !== participant.session || !samePerson(before, participant)) changed = true;
    roster.set(uid, participant);
    // The participant re-joined (reload): the stale connection goes; its new session offers.
    if (link && link.remoteSession !== participant.session) {
      drops.push({ uid, reason: "participant has a new session", report: true });
    } else if (link && roomOf(participant) !== myRoom) {
      drops.push({ uid, reason: "participant in another room", report: true });
    }
  }
  for (const uid of [...roster.keys()]) {
    if (uid === myUid || present.has(uid)) continue;
    const link = links.get(uid);
    if (link && link.ageMs < NEW_LINK_GRACE_MS) continue;
    // Gone from the collection altogether.
    changed = true;
    roster.delete(uid);
    if (link) drops.push({ uid, reason: "participant document removed", report: false });
  }
  const mine = docs.find((d) => d.id === myUid);
  const own = ownStatusOf(mine);
  // Our own entry follows the server too: a host may make us a co-host or unmake us.
  const meBefore = roster.get(myUid);
  if (mine && meBefore && own.kind === "present" && own.session === meBefore.session) {
    const me = toParticipant(mine);
    if (!samePerson(me, meBefore)) {
      roster.set(myUid, { ...me, session: meBefore.session, state: meBefore.state });
      changed = true;
    }
  }
  return { roster, changed, drops, own };
}

/** What our own document means for this session ("moved": a host put us in another room, which
 * we join again to connect to its people). */
export type OwnVerdict = "ok" | "rejoin" | "moved" | "meeting-ended" | "removed" | "joined-elsewhere";

export function ownVerdict(own: OwnStatus, mySession: string, myRoom: number | null = null): OwnVerdict {
  if (own.kind === "missing") return "rejoin";
  if (own.kind === "removed") return "removed";
  if (own.kind === "left") return own.endCause === "meeting-ended" ? "meeting-ended" : "rejoin";
  if (own.session !== mySession) return "joined-elsewhere";
  return own.room === myRoom ? "ok" : "moved";
}

/** The roster after a join: us, and the others join_meeting listed. */
export function rosterAfterJoin(
  me: Omit<Participant, "state">,
  others: readonly Omit<Participant, "state">[],
): Map<string, Participant> {
  const roster = new Map<string, Participant>([[me.uid, { ...me, state: "joined" }]]);
  for (const p of others) roster.set(p.uid, { uid: p.uid, displayName: p.displayName, session: p.session, state: "joined", role: p.role ?? "participant" });
  return roster;
}
