/**
 * Live captions: each person's own speech, recognised on their own device (recognizer.ts), sent
 * to the others on the "captions" data channel (JSON text) and shown to everyone, marked as
 * captions and by whom. Off until the person turns them on; never through a server, never stored:
 * a line is on screen for CAPTION_SHOW_MS after its last word, then dropped.
 *
 *   {"t":"caption","id":n,"text":string,"final":boolean}  what the sender is saying: utterance n
 *                                                         (counting up), replaced by the next
 *                                                         message with the same id until final
 *   {"t":"caption-off"}                                   the sender turned captions off
 *
 * Anything else is ignored; text is cut to MAX_CAPTION_CHARS.
 */
import { signal } from "@preact/signals-core";
import { parseJsonObject } from "../../core/meeting/channelJson";
import type { ChannelProtocol } from "../../core/meeting/link";
import type { PeerLink } from "../../core/meeting/peer";

export const MAX_CAPTION_CHARS = 500;
/** How long a line stays after its last change. */
export const CAPTION_SHOW_MS = 8_000;
/** Lines on screen at most (the newest). */
export const MAX_CAPTION_LINES = 3;

export type CaptionMessage = { t: "caption"; id: number; text: string; final: boolean } | { t: "caption-off" };

/** A caption message, or null for anything the protocol does not know. Pure. */
export function parseCaption(text: string): CaptionMessage | null {
  const message = parseJsonObject(text);
  if (!message) return null;
  if (message.t === "caption-off") return { t: "caption-off" };
  if (message.t !== "caption" || typeof message.text !== "string" || typeof message.final !== "boolean") return null;
  const id = message.id;
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 0) return null;
  const clean = message.text.replace(/\s+/g, " ").trim().slice(0, MAX_CAPTION_CHARS);
  return { t: "caption", id, text: clean, final: message.final };
}

/** The message for utterance `id` as recognised so far. Pure. */
export function captionMessage(id: number, text: string, final: boolean): string {
  return JSON.stringify({ t: "caption", id, text: text.replace(/\s+/g, " ").trim().slice(0, MAX_CAPTION_CHARS), final });
}

export interface CaptionLine {
  uid: string;
  id: number;
  text: string;
  final: boolean;
  /** When it last changed (ms). */
  at: number;
}

/** The lines after a message from `uid` at `now`: its utterance replaced or added, old ones dropped. Pure. */
export function applyCaption(lines: readonly CaptionLine[], uid: string, message: CaptionMessage, now: number): CaptionLine[] {
  if (message.t === "caption-off") return lines.filter((line) => line.uid !== uid);
  const rest = lines.filter((line) => !(line.uid === uid && line.id === message.id));
  if (!message.text) return expireCaptions(rest, now);
  const line: CaptionLine = { uid, id: message.id, text: message.text, final: message.final, at: now };
  return expireCaptions([...rest, line], now).slice(-MAX_CAPTION_LINES);
}

/** Without the lines unchanged for CAPTION_SHOW_MS. Pure. */
export function expireCaptions(lines: readonly CaptionLine[], now: number): CaptionLine[] {
  return lines.filter((line) => now - line.at < CAPTION_SHOW_MS);
}

/** What the caption area shows: who (by name, "You" for oneself) and what, oldest first. Pure. */
export function captionRows(lines: readonly CaptionLine[], myUid: string, name: (uid: string) => string) {
  return lines.map((line) => ({ key: `${line.uid}/${line.id}`, who: line.uid === myUid ? "You" : name(line.uid), text: line.text, final: line.final }));
}

interface MeetingLike {
  readonly myUid: string;
  readonly links: ReadonlyMap<string, Pick<PeerLink, "send">>;
}

/** The captions on screen and the "captions" channel's protocol. */
export class Captions implements ChannelProtocol {
  readonly label = "captions";
  /** The lines on screen, ours included. */
  readonly lines = signal<readonly CaptionLine[]>([]);
  /** We share our captions (off by default). */
  readonly sharing = signal(false);
  private nextId = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `heard(uid)`: false while a host turned `uid`'s microphone off (features/hosts): their
   * captions are their speech, and are not shown either. */
  constructor(
    private readonly meeting: MeetingLike,
    private readonly heard: (uid: string) => boolean = () => true,
  ) {}

  message(link: Pick<PeerLink, "uid">, data: string | ArrayBuffer): void {
    if (typeof data !== "string" || !this.heard(link.uid)) return;
    const message = parseCaption(data);
    if (message) this.update(link.uid, message);
  }

  closed(link: Pick<PeerLink, "uid">): void {
    this.update(link.uid, { t: "caption-off" });
  }

  /** Our recogniser heard something (interim, or final): show it and send it to everyone. */
  said(text: string, final: boolean): void {
    if (!this.sharing.peek()) return;
    const id = this.nextId;
    if (final) this.nextId++;
    const wire = captionMessage(id, text, final);
    const message = parseCaption(wire);
    if (message) this.update(this.meeting.myUid, message);
    for (const link of this.meeting.links.values()) link.send("captions", wire);
  }

  setSharing(on: boolean): void {
    if (this.sharing.peek() === on) return;
    this.sharing.value = on;
    if (on) return;
    this.update(this.meeting.myUid, { t: "caption-off" });
    const wire = JSON.stringify({ t: "caption-off" });
    for (const link of this.meeting.links.values()) link.send("captions", wire);
  }

  stop(): Promise<void> {
    clearTimeout(this.timer);
    this.lines.value = [];
    return Promise.resolve();
  }

  private update(uid: string, message: CaptionMessage): void {
    this.lines.value = applyCaption(this.lines.peek(), uid, message, Date.now());
    this.scheduleExpiry();
  }

  private scheduleExpiry(): void {
    clearTimeout(this.timer);
    const lines = this.lines.peek();
    if (!lines.length) return;
    const next = Math.min(...lines.map((line) => line.at)) + CAPTION_SHOW_MS - Date.now();
    this.timer = setTimeout(() => {
      this.lines.value = expireCaptions(this.lines.peek(), Date.now());
      this.scheduleExpiry();
    }, Math.max(50, next));
  }
}
