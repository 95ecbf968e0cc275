/**
 * What the host and co-hosts may do to whom (docs/protocol.md section 5), as the people panel
 * offers it; the server decides again. Pure.
 */
import type { HostActionName, HostPermission, ParticipantRole } from "../../protocol.gen";

/** A request sent to the person over the data channel (they accept it), or a host action. */
export type PersonAction = "ask-mute" | "ask-video-off" | "ask-unmute" | "ask-video-on" | "lower-hand" | Extract<HostActionName, "make-cohost" | "revoke-cohost" | "remove">;

export interface Someone {
  uid: string;
  role: ParticipantRole;
}

export function runsMeeting(role: ParticipantRole | undefined): boolean {
  return role === "host" || role === "cohost";
}

/**
 * The actions `me` may take on `them`: none unless `me` runs the meeting; asks to turn off the
 * microphone or camera when it is on, to turn it on when it is off and not turned off for them by
 * a host (`held`); a raised hand lowered; the host alone names and unnames co-hosts; nobody
 * removes the host.
 */
export function personActions(
  me: Someone,
  them: Someone,
  media: { audio: boolean; video: boolean } = { audio: true, video: true },
  held: readonly HostPermission[] = [],
  handUp = false,
): PersonAction[] {
  if (!runsMeeting(me.role) || me.uid === them.uid) return [];
  const actions: PersonAction[] = handUp ? ["lower-hand"] : [];
  if (media.audio) actions.push("ask-mute");
  else if (!held.includes("mic")) actions.push("ask-unmute");
  if (media.video) actions.push("ask-video-off");
  else if (!held.includes("camera")) actions.push("ask-video-on");
  if (them.role === "host") return actions;
  if (me.role === "host") actions.push(them.role === "cohost" ? "revoke-cohost" : "make-cohost");
  actions.push("remove");
  return actions;
}

/** The button's words: what it does, to whom; a request says it is one. */
export function actionLabel(action: PersonAction, name: string): string {
  switch (action) {
    case "ask-mute":
      return `Ask ${name} to mute`;
    case "ask-video-off":
      return `Ask ${name} to turn off their camera`;
    case "ask-unmute":
      return `Ask ${name} to unmute`;
    case "lower-hand":
      return `Lower ${name}'s hand`;
    case "ask-video-on":
      return `Ask ${name} to turn on their camera`;
    case "make-cohost":
      return `Make ${name} a co-host`;
    case "revoke-cohost":
      return `Make ${name} a participant again`;
    case "remove":
      return `Remove ${name} from the meeting`;
  }
}

/** What the person sees next to a name. */
export function roleLabel(role: ParticipantRole): string | null {
  return role === "host" ? "Host" : role === "cohost" ? "Co-host" : null;
}

/** What to tell a person whose role a host just changed (null: nothing to tell). */
export function roleNotice(before: ParticipantRole, after: ParticipantRole): string | null {
  if (before === after || after === "host") return null;
  return after === "cohost" ? "You are now a co-host: you can let people in and run the meeting" : "You are no longer a co-host";
}

/** The knocks in `after` that were not waiting in `before` (by uid). */
export function newKnocks<T extends { uid: string }>(before: readonly T[], after: readonly T[]): T[] {
  const known = new Set(before.map((k) => k.uid));
  return after.filter((k) => !known.has(k.uid));
}
