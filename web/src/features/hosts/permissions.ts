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
  /** What a participant is told when it is turned off, and when asking for it meanwhile. */
  off: string;
  /** ...and when it is turned on again. */
  on: string;
}

/** Every permission, in the order the host's switches show them and changes are said. */
export const PERMISSIONS: Readonly<Record<HostPermission, PermissionWords>> = {
  mic: {
    label: "Turn on their microphone",
    off: "A host turned microphones off for participants. Raise your hand to ask to speak.",
    on: "You can turn your microphone on again.",
  },
  camera: {
    label: "Turn on their camera",
    off: "A host turned cameras off for participants.",
    on: "You can turn your camera on again.",
  },
  present: {
    label: "Share their screen",
    off: "A host turned presenting off for participants.",
    on: "You can present again.",
  },
  chat: {
    label: "Send chat messages",
    off: "A host turned the chat off for participants. You can still write privately to the host and co-hosts.",
    on: "You can send chat messages again.",
  },
};

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

/** Whether a chat message from `from` is shown to us: always when the chat is on for them; when
 * it is off, only when it was written privately to us and we run the meeting. */
export function chatAccepted(from: Holdable | undefined, myRole: ParticipantRole, restricted: readonly HostPermission[], scope: "all" | "private"): boolean {
  if (!heldFor(from, restricted).includes("chat")) return true;
  return scope === "private" && runsMeeting(myRole);
}

/** The people panel's words for letting `name` do `what` all the same, or taking it back. */
export function permitLabel(what: HostPermission, name: string, permitted: boolean): string {
  const doing = PERMISSIONS[what].label.charAt(0).toLowerCase() + PERMISSIONS[what].label.slice(1);
  return permitted ? `Stop letting ${name} ${doing}` : `Let ${name} ${doing}`;
}

/** What to tell someone whose restrictions changed from `before` to `after`, in order. */
export function heldNotices(before: readonly HostPermission[], after: readonly HostPermission[]): string[] {
  return ORDER.flatMap((what) => {
    if (after.includes(what) && !before.includes(what)) return [PERMISSIONS[what].off];
    if (before.includes(what) && !after.includes(what)) return [PERMISSIONS[what].on];
    return [];
  });
}
