/**
 * The pinned message (docs/protocol.md section 6, the chat channel's `pin` and `unpin`): a host or
 * co-host pins one message to everyone at a time, and everyone sees it above the chat, those who
 * join later too. A pin carries the message's words, since a newcomer never got the message; a
 * page that has the message shows it from its own log instead (edited since, or deleted: then
 * nothing is shown, and a host's page unpins it for everyone). Of two pins the newest `at` (the
 * server's clock) wins; only a host's or co-host's word counts, and a newcomer hears it from the
 * hosts present when its chat channel opens.
 */
import { computed, effect, signal, type ReadonlySignal } from "@preact/signals-core";
import { encodePin, encodeUnpin, type ChatRef } from "../../core/meeting/chatChannel";
import type { Meeting } from "../../core/meeting/meeting";
import type { PeerLink } from "../../core/meeting/peer";
import { Emitter } from "../../core/state/emitter";
import { refOf, type ChatMessage } from "./chatLog";
import { excerpt, refersTo } from "./replies";

/** A pin as this page took it: the message, its words as pinned, who pinned it and when. */
export interface Pin {
  ref: ChatRef;
  text: string;
  by: string;
  at: number;
}

/** What the chat shows of the pin: the message's words now, and whether this log has it. */
export interface PinnedView {
  ref: ChatRef;
  by: string;
  text: string;
  inLog: boolean;
}

/** The pin as shown with this page's log; null when there is none or its message was deleted. */
export function pinView(pin: Pin | null, messages: readonly ChatMessage[]): PinnedView | null {
  if (!pin) return null;
  const message = messages.find((m) => refersTo(pin.ref, m));
  if (message?.deleted) return null;
  return { ref: pin.ref, by: pin.by, text: message ? message.text : pin.text, inLog: !!message };
}

export class ChatPin extends Emitter<{ notice: string }> {
  private readonly current = signal<Pin | null>(null);
  /** The pin as shown here (derived from the pin and the log). */
  readonly shown: ReadonlySignal<PinnedView | null>;
  /** The newest pin or unpin taken, for "newest wins". */
  private at = 0;
  /** When our first chat channel opened (the server's clock): a pin older than that was passed
   * on to us by a host present, who may not be the one who pinned it. */
  private since: number | null = null;
  private readonly offs: (() => void)[];

  constructor(
    private readonly meeting: Meeting,
    messages: ReadonlySignal<readonly ChatMessage[]>,
    private readonly runs: (uid: string) => boolean,
  ) {
    super();
    this.shown = computed(() => pinView(this.current.value, messages.value));
    this.offs = [
      meeting.on("pin", ({ link, message }) => this.receive(link.uid, message.t === "pin" ? message : null, message.at)),
      meeting.on("chatOpen", (link) => this.open(link)),
      // Its sender deleted the pinned message: a host's page takes the pin down for everyone
      // (a newcomer would otherwise still get its words from a host who never saw it deleted).
      effect(() => {
        if (this.current.value && !this.shown.value && this.mayPin) this.unpin();
      }),
    ];
  }

  /** We run the meeting, so we may pin and unpin. */
  get mayPin(): boolean {
    return this.runs(this.meeting.myUid);
  }

  /** Whether `message` is the one pinned. */
  isPinned(message: ChatMessage): boolean {
    const ref = this.current.value?.ref;
    return !!ref && refersTo(ref, message);
  }

  /** Pin a message to everyone, for everyone; false when we may not, or it is private or deleted. */
  pin(message: ChatMessage): boolean {
    if (!this.mayPin || message.private || message.deleted) return false;
    const pin = { ref: refOf(message), text: message.text, by: this.meeting.myUid, at: this.nextAt() };
    this.broadcast(encodePin(pin.ref, pin.text, pin.at));
    this.take(pin, pin.at, pin.by);
    return true;
  }

  /** Take the pin down for everyone; false when we may not or nothing is pinned. */
  unpin(): boolean {
    if (!this.mayPin || !this.current.peek()) return false;
    const at = this.nextAt();
    this.broadcast(encodeUnpin(at));
    this.take(null, at, this.meeting.myUid);
    return true;
  }

  stop(): void {
    for (const off of this.offs) off();
  }

  private nextAt(): number {
    return Math.max(this.meeting.clock.now(), this.at + 1);
  }

  private broadcast(payload: string): void {
    for (const link of this.meeting.links.values()) link.send("chat", payload);
  }

  private receive(uid: string, pin: { ref: ChatRef; text: string } | null, at: number): void {
    if (!this.runs(uid) || at <= this.at) return;
    this.take(pin && { ref: pin.ref, text: pin.text, by: uid, at }, at, uid);
  }

  /** The pin (null: none) taken, as of `at`, by `by`'s word; said to the person. */
  private take(pin: Pin | null, at: number, by: string): void {
    const before = this.current.peek();
    this.at = at;
    this.current.value = pin;
    const words = pin ? excerpt(this.shown.peek()?.text ?? pin.text, 60) : "";
    const passedOn = pin !== null && by !== this.meeting.myUid && this.since !== null && pin.at < this.since;
    if (pin) this.emit("notice", passedOn ? `A message is pinned: ${words}` : `${this.name(by)} pinned a message: ${words}`);
    else if (before) this.emit("notice", `${this.name(by)} unpinned the message`);
  }

  private name(uid: string): string {
    return uid === this.meeting.myUid ? "You" : this.meeting.displayName(uid);
  }

  /** A newcomer's chat channel opened: a host tells it what is pinned, in its words now. */
  private open(link: PeerLink): void {
    this.since ??= this.meeting.clock.now();
    const pin = this.current.peek();
    const view = this.shown.peek();
    if (pin && view && this.mayPin) link.send("chat", encodePin(pin.ref, view.text, pin.at));
  }
}
