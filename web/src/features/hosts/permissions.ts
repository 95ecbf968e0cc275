/**
 * What a host may turn off for the participants who do not run the meeting (docs/protocol.md
 * section 5, "What hosts may turn off"): the meeting's `restricted`, read the same way by every
 * client, which holds itself to it and holds the others to it. Pure.
 */
import type { HostPermission, ParticipantRole } from "../../protocol.gen";
import { runsMeeting } from "./controls";

interface PermissionWords {
  /** The host's switch: "Let participants …". */
  label: string;
  /** What is off, in a list ("microphones"). */
  noun: string;
  /** What a participant is told when it is turned off, and when asking for it meanwhile. */
  off: string;
  /** ...and when it is turned on again. */
  on: string;
}

/** Every permission, in the order the host's switches show them and changes are said. */
export const PERMISSIONS: Readonly<Record<HostPermission, PermissionWords>> = {
  mic: {
    label: "Turn on their microphone",
    noun: "microphones",
    off: "A host turned microphones off for participants. Raise your hand to ask to speak.",
    on: "You can turn your microphone on again.",
  },
  camera: {
    label: "Turn on their camera",
    noun: "cameras",
    off: "A host turned cameras off for participants.",
    on: "You can turn your camera on again.",
  },
  present: {
    label: "Share their screen",
    noun: "presenting",
    off: "A host turned presenting off for participants.",
    on: "You can present again.",
  },
  chat: {
    label: "Send chat messages",
    noun: "the chat",
    off: "A host turned the chat off for participants. You can still write privately to the host and co-hosts.",
    on: "You can send chat messages again.",
  },
  files: {
    label: "Send files",
    noun: "sending files",
    off: "A host turned file sharing off for participants. You can still send files privately to the host and co-hosts.",
    on: "You can send files again.",
  },
  reactions: {
    label: "Send reactions",
    noun: "reactions",
    off: "A host turned reactions off for participants. You can still raise your hand.",
    on: "You can send reactions again.",
  },
  whiteboard: {
    label: "Draw on the whiteboard",
    noun: "drawing on the whiteboard",
    off: "A host turned drawing on the whiteboard off for participants.",
    on: "You can draw on the whiteboard again.",
  },
  rename: {
    label: "Rename themselves",
    noun: "renaming",
    off: "A host turned renaming off for participants.",
    on: "You can rename yourself again.",
  },
};

/** What travels as messages to everyone or privately: when off, a message privately to those who
 * run the meeting still goes (to ask them something). */
export type Messaging = Extract<HostPermission, "chat" | "files">;

/** What the meeting's hosts allow of one kind of message: one from `uid` received, ours sent to
 * `toUid` (null: everyone). */
export interface MessageRules {
  accepts(uid: string, scope: "all" | "private"): boolean;
  mayWrite(toUid: string | null): boolean;
}

/** No restriction (a meeting without hosts' rules: tests, tools). */
export const OPEN_RULES: MessageRules = { accepts: () => true, mayWrite: () => true };

const ORDER = Object.keys(PERMISSIONS) as HostPermission[];

/** Whom a restriction is about: their role, and what a host let them do all the same. */
export interface Holdable {
  role: ParticipantRole;
  permitted?: readonly HostPermission[];
}

/** What is turned off for `person`: nothing for the host and co-hosts, nor what a host let them
 * do; all of it for someone unknown. */
export function heldFor(person: Holdable | undefined, restricted: readonly HostPermission[]): HostPermission[] {
  if (runsMeeting(person?.role)) return [];
  const permitted = person?.permitted ?? [];
  return restricted.filter((what) => !permitted.includes(what));
}

/** Whether a message of `what` (a chat message, a file) from `from` is taken: always when it is on
 * for them; when it is off, only when it was sent privately to us and we run the meeting. */
export function messageAccepted(what: Messaging, from: Holdable | undefined, myRole: ParticipantRole, restricted: readonly HostPermission[], scope: "all" | "private"): boolean {
  if (!heldFor(from, restricted).includes(what)) return true;
  return scope === "private" && runsMeeting(myRole);
}

/** The people panel's words for letting `name` do `what` all the same, or taking it back. */
export function permitLabel(what: HostPermission, name: string, permitted: boolean): string {
  const doing = PERMISSIONS[what].label.charAt(0).toLowerCase() + PERMISSIONS[what].label.slice(1);
  return permitted ? `Stop letting ${name} ${doing}` : `Let ${name} ${doing}`;
}

/** What is held for someone, and what a host let them do all the same. */
export interface HeldState {
  held: readonly HostPermission[];
  permitted: readonly HostPermission[];
}

/** The label's words for the person themself ("turn on your microphone"). */
function yours(what: HostPermission): string {
  const label = PERMISSIONS[what].label.replace("their", "your");
  return label.charAt(0).toLowerCase() + label.slice(1);
}

/** What to tell someone whose restrictions changed from `before` to `after`, in order: a host
 * letting them alone, or no longer, in words of their own; the meeting's switches in the
 * general words. */
export function heldNotices(before: HeldState, after: HeldState): string[] {
  return ORDER.flatMap((what) => {
    const wasHeld = before.held.includes(what);
    const isHeld = after.held.includes(what);
    const wasPermitted = before.permitted.includes(what);
    const isPermitted = after.permitted.includes(what);
    if (isHeld && !wasHeld) return [wasPermitted && !isPermitted ? `A host no longer lets you ${yours(what)}.` : PERMISSIONS[what].off];
    if (wasHeld && !isHeld) return [isPermitted && !wasPermitted ? `A host lets you ${yours(what)}.` : PERMISSIONS[what].on];
    return [];
  });
}

/** The lobby's words for what would hold the person on joining (meeting_info's turnedOff), or
 * null when nothing would. */
export function turnedOffNotice(turnedOff: readonly HostPermission[]): string | null {
  const nouns = ORDER.filter((what) => turnedOff.includes(what)).map((what) => PERMISSIONS[what].noun);
  if (!nouns.length) return null;
  const list = nouns.length === 1 ? nouns[0] : `${nouns.slice(0, -1).join(", ")} and ${nouns.at(-1)}`;
  return `A host turned ${list} off for participants in this meeting.`;
}
