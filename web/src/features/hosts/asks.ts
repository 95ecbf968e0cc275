/**
 * "Please mute", "please turn off your camera", and the same to turn them on: in a mesh nobody
 * can switch someone else's sender, so a host asks over the chat data channel (`{"t":"ask"}`, core/meeting/
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

/** Each request: the device it is about, whether it asks for it on, and its words. */
const ASKED: Readonly<Record<Ask, { device: "microphone" | "camera"; on: boolean }>> = {
  mute: { device: "microphone", on: false },
  "video-off": { device: "camera", on: false },
  unmute: { device: "microphone", on: true },
  "video-on": { device: "camera", on: true },
};

/** What `what` asks for: which device, on or off. */
export function asked(what: Ask): { device: "microphone" | "camera"; on: boolean } {
  return ASKED[what];
}

/** The request in words, saying whose request it is. */
export function askText(what: Ask, name: string, role: ParticipantRole): string {
  const who = `${name} (${role === "host" ? "host" : "co-host"})`;
  const { device, on } = ASKED[what];
  return `${who} asks you to turn your ${device} ${on ? "on" : "off"}.`;
}

/** The button that does what was asked. */
export function askAction(what: Ask): string {
  const { device, on } = ASKED[what];
  return `Turn ${device} ${on ? "on" : "off"}`;
}
