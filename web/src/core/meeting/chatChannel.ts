/**
 * The "chat" data channel's messages (web/README.md, "Peer-to-peer protocols"), JSON text:
 *
 *   {"t":"chat","id","text","scope":"all"|"private","reply"?}   a chat message; `reply`:
 *                                                                {"uid","id"} of the message it
 *                                                                answers (its sender and id): each
 *                                                                receiver quotes it from its own log,
 *                                                                the quoted text is never sent
 *   {"t":"unsend","id"}                                          the sender deletes its message `id`
 *                                                                for everyone it went to
 *   {"t":"edit","id","text"}                                     the sender's message `id` now says
 *                                                                `text`, for everyone it went to
 *   {"t":"reaction","uid","id","emoji","on"}                     the sender reacts to the message
 *                                                                {uid, id} with `emoji` (on: true)
 *                                                                or takes its reaction back
 *   {"t":"pin","uid","id","text","at"}                           a host or co-host pins the message
 *                                                                {uid, id} (one to everyone) for
 *                                                                everyone; `text`: its words, for
 *                                                                those who never got it; `at`: the
 *                                                                server's clock, the newest wins
 *   {"t":"unpin","at"}                                           a host or co-host unpins it
 *   {"t":"media","audio","video","screen","recording"}          what the sender's tile shows;
 *                                                                `recording`: true, false or
 *                                                                "paused" (nothing recorded now)
 *   {"t":"want","camera","screen"}                               what the receiver shows of the
 *                                                                sender's camera and screen:
 *                                                                "high", "low" or "off" (bandwidth.ts;
 *                                                                a screen not shared: as it would be)
 *   {"t":"bye"}                                                  the tab is closing or reloading
 *   {"t":"ask","what":"mute"|"video-off"|"unmute"|"video-on"}    a host asks the receiver to turn
 *                                                                its microphone or camera off, or on
 *
 * A message that is not JSON is chat to everyone (the aiortc test peer sends plain text).
 * Pure: parse and encode only.
 */
import { WANTS, type Want, type Wants } from "./bandwidth";
import { parseJsonObject } from "./channelJson";

export const MAX_CHAT_LENGTH = 4000;

export interface RemoteMedia {
  audio: boolean;
  video: boolean;
  screen: boolean;
  /** Recording now (not while paused). */
  recording: boolean;
  /** A recording started and paused: nothing is recorded until it resumes. */
  recordingPaused?: boolean;
}

export type ChatScope = "all" | "private";

/** The message a chat message answers: its sender's uid and the sender's id for it. */
export interface ChatRef {
  uid: string;
  id: string;
}

const MAX_REF_LENGTH = 128;
/** An emoji, its variation selectors included (which one, the chat checks: features/chat). */
const MAX_EMOJI_LENGTH = 16;

function parseRef(value: unknown): ChatRef | undefined {
  if (!value || typeof value !== "object") return undefined;
  const { uid, id } = value as Record<string, unknown>;
  const fits = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= MAX_REF_LENGTH;
  return fits(uid) && fits(id) ? { uid, id } : undefined;
}

/** What a host may ask someone to do (docs/protocol.md section 5: a request, never a switch). */
export const ASKS = ["mute", "video-off", "unmute", "video-on"] as const;
export type Ask = (typeof ASKS)[number];

export type ChatChannelMessage =
  | { t: "chat"; id: string | null; text: string; scope: ChatScope; reply?: ChatRef }
  | { t: "unsend"; id: string }
  | { t: "edit"; id: string; text: string }
  | { t: "reaction"; ref: ChatRef; emoji: string; on: boolean }
  | { t: "pin"; ref: ChatRef; text: string; at: number }
  | { t: "unpin"; at: number }
  | ({ t: "media" } & RemoteMedia)
  | ({ t: "want" } & Wants)
  | { t: "bye" }
  | { t: "ask"; what: Ask }
  | { t: "unknown" };

export function parseChatChannel(text: string): ChatChannelMessage {
  const message = text.startsWith("{") ? parseJsonObject(text) : null;
  if (!message || typeof message.t !== "string") return { t: "chat", id: null, text, scope: "all" };
  switch (message.t) {
    case "chat":
      return {
        t: "chat",
        id: message.id === undefined || message.id === null ? null : String(message.id),
        text: String(message.text ?? ""),
        scope: message.scope === "private" ? "private" : "all",
        reply: parseRef(message.reply),
      };
    case "media":
      return {
        t: "media",
        audio: message.audio !== false,
        video: message.video !== false,
        screen: message.screen === true,
        recording: message.recording === true,
        recordingPaused: message.recording === "paused",
      };
    case "want":
      return { t: "want", camera: want(message.camera), screen: want(message.screen) };
    case "unsend":
      return typeof message.id === "string" && message.id ? { t: "unsend", id: message.id } : { t: "unknown" };
    case "edit":
      return typeof message.id === "string" && message.id && typeof message.text === "string"
        ? { t: "edit", id: message.id, text: message.text }
        : { t: "unknown" };
    case "reaction": {
      const ref = parseRef(message);
      const emoji = typeof message.emoji === "string" && message.emoji.length <= MAX_EMOJI_LENGTH ? message.emoji : "";
      return ref && emoji ? { t: "reaction", ref, emoji, on: message.on !== false } : { t: "unknown" };
    }
    case "pin": {
      const ref = parseRef(message);
      const text = typeof message.text === "string" ? message.text.slice(0, MAX_CHAT_LENGTH) : "";
      return ref && text.trim() && isTime(message.at) ? { t: "pin", ref, text, at: message.at } : { t: "unknown" };
    }
    case "unpin":
      return isTime(message.at) ? { t: "unpin", at: message.at } : { t: "unknown" };
    case "bye":
      return { t: "bye" };
    case "ask":
      return ASKS.includes(message.what as Ask) ? { t: "ask", what: message.what as Ask } : { t: "unknown" };
    default:
      return { t: "unknown" };
  }
}

/** A time in epoch milliseconds. */
function isTime(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

/** An unknown value asks for the least: a receiver never gets more than it can say it wants. */
function want(value: unknown): Want {
  return WANTS.includes(value as Want) ? (value as Want) : "low";
}

export function encodeWants(wants: Wants): string {
  return JSON.stringify({ t: "want", camera: wants.camera, screen: wants.screen });
}

export function encodeChat(id: string, text: string, scope: ChatScope, reply?: ChatRef): string {
  return JSON.stringify(reply ? { t: "chat", id, text, scope, reply } : { t: "chat", id, text, scope });
}

export function encodeUnsend(id: string): string {
  return JSON.stringify({ t: "unsend", id });
}

export function encodeReaction(ref: ChatRef, emoji: string, on: boolean): string {
  return JSON.stringify({ t: "reaction", uid: ref.uid, id: ref.id, emoji, on });
}

export function encodeEdit(id: string, text: string): string {
  return JSON.stringify({ t: "edit", id, text });
}

export function encodePin(ref: ChatRef, text: string, at: number): string {
  return JSON.stringify({ t: "pin", uid: ref.uid, id: ref.id, text, at });
}

export function encodeUnpin(at: number): string {
  return JSON.stringify({ t: "unpin", at });
}

export function encodeMedia(media: RemoteMedia): string {
  const { recordingPaused, ...rest } = media;
  return JSON.stringify({ t: "media", ...rest, recording: recordingPaused ? "paused" : media.recording });
}

export const BYE = JSON.stringify({ t: "bye" });

export function encodeAsk(what: Ask): string {
  return JSON.stringify({ t: "ask", what });
}

export function randomId(bytes = 9): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}
