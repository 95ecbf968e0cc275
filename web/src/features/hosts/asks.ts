/**
 * "Please mute" and "please turn off your camera": in a mesh nobody can switch off someone
 * else's sender, so a host asks over the chat data channel (`{"t":"ask"}`, core/meeting/
 * chatChannel.ts) and the person decides (docs/protocol.md section 5). Only a request from a host
 * or co-host is shown. Pure.
 */
import type { Ask } from "../../core/meeting/chatChannel";
import type { ParticipantRole } from "../../protocol.gen";
import { runsMeeting } from "./controls";

export { encodeAsk, type Ask } from "../../core/meeting/chatChannel";

/** Shown only when the sender runs the meeting (its role as the server wrote it). */
export function askAccepted(senderRole: ParticipantRole | undefined): boolean {
  return runsMeeting(senderRole);
}

/** The request in words, saying whose request it is. */
export function askText(what: Ask, name: string, role: ParticipantRole): string {
  const who = `${name} (${role === "host" ? "host" : "co-host"})`;
  return what === "mute" ? `${who} asks you to turn your microphone off.` : `${who} asks you to turn your camera off.`;
}

/** The button that does what was asked. */
export function askAction(what: Ask): string {
  return what === "mute" ? "Turn microphone off" : "Turn camera off";
}
