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

/** Every permission, in the order the host's switches show them (and `restricted` lists them). */
export const PERMISSIONS: Readonly<Record<HostPermission, PermissionWords>> = {
  mic: {
    label: "Turn on their microphone",
    off: "A host turned microphones off for participants. Raise your hand to ask to speak.",
    on: "A host let participants turn their microphone on again.",
  },
  camera: {
    label: "Turn on their camera",
    off: "A host turned cameras off for participants.",
    on: "A host let participants turn their camera on again.",
  },
  present: {
    label: "Share their screen",
    off: "A host turned presenting off for participants.",
    on: "A host let participants present again.",
  },
  chat: {
    label: "Send chat messages",
    off: "A host turned the chat off for participants. You can still write privately to the host and co-hosts.",
    on: "A host turned the chat on again for participants.",
  },
};

const ORDER = Object.keys(PERMISSIONS) as HostPermission[];

/** The meeting document's `restricted`, as a list of known permissions (anything else ignored). */
export function restrictedOf(value: unknown): HostPermission[] {
  const listed = Array.isArray(value) ? value : [];
  return ORDER.filter((what) => listed.includes(what));
}

/** What is turned off for someone of `role`: nothing for the host and co-hosts. */
export function heldFor(role: ParticipantRole | undefined, restricted: readonly HostPermission[]): HostPermission[] {
  return runsMeeting(role) ? [] : [...restricted];
}

/** Whether a chat message from someone of `fromRole` is shown to us: always when the chat is on
 * for them; when it is off, only when it was written privately to us and we run the meeting. */
export function chatAccepted(fromRole: ParticipantRole | undefined, myRole: ParticipantRole, restricted: readonly HostPermission[], scope: "all" | "private"): boolean {
  if (!heldFor(fromRole, restricted).includes("chat")) return true;
  return scope === "private" && runsMeeting(myRole);
}

/** What to tell someone whose restrictions changed from `before` to `after`, in order. */
export function heldNotices(before: readonly HostPermission[], after: readonly HostPermission[]): string[] {
  return ORDER.flatMap((what) => {
    if (after.includes(what) && !before.includes(what)) return [PERMISSIONS[what].off];
    if (before.includes(what) && !after.includes(what)) return [PERMISSIONS[what].on];
    return [];
  });
}
