/**
 * What a host turned off for a participant (docs/protocol.md section 5, "What hosts may turn
 * off"), as the receivers hold it: the slots whose tracks play nothing here, and the participant's
 * own media message read without what it may not send. Pure.
 */
import type { HostPermission } from "../../protocol.gen";
import type { RemoteMedia } from "./chatChannel";
import type { Slot } from "./slots";

const SLOTS_OF: Readonly<Record<HostPermission, readonly Slot[]>> = {
  mic: ["mic"],
  camera: ["camera"],
  present: ["screen", "screenAudio"],
  chat: [],
  files: [],
  reactions: [],
  whiteboard: [],
  rename: [],
};

/** A stored list of permissions (the meeting's `restricted`, a participant's `permitted`): the
 * known ones, in one order; anything else is ignored. */
export function permissionsOf(value: unknown): HostPermission[] {
  const listed = Array.isArray(value) ? value : [];
  return (Object.keys(SLOTS_OF) as HostPermission[]).filter((what) => listed.includes(what));
}

/** The slots whose received tracks are disabled while `held`. */
export function heldSlots(held: readonly HostPermission[]): ReadonlySet<Slot> {
  return new Set(held.flatMap((what) => SLOTS_OF[what]));
}

/** What the other side says it sends, less what it may not: shown off whatever it says. */
export function withheld(media: RemoteMedia, held: readonly HostPermission[]): RemoteMedia {
  if (!held.length) return media;
  return {
    ...media,
    audio: media.audio && !held.includes("mic"),
    video: media.video && !held.includes("camera"),
    screen: media.screen && !held.includes("present"),
  };
}
