/**
 * Batches the messages the local person writes for their organisation's archive (`archive`
 * kind "chat"): sent every `intervalMs` and at leave, never blocking the chat. Only while
 * `enabled()` (our own storedBy includes chat): otherwise nothing is queued and nothing is sent.
 * Pure of the network: the send and the timer are injected.
 */
import { errorCode, type ErrorCode } from "../../core/api/errors";
import { LIMITS, type ArchiveMessage } from "../../protocol.gen";

export interface ChatArchiveOptions {
  /** Calls `archive` (with its retry policy); rejects when it finally failed. */
  send: (messages: ArchiveMessage[]) => Promise<unknown>;
  /** Our organisation stores our chat in this meeting now. */
  enabled: () => boolean;
  intervalMs?: number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/** Under the server's 800,000 bytes of an archive, with room for what it adds (the author). */
export const BATCH_MAX_BYTES = 600_000;
/** Kept at most while the archive cannot be reached (the oldest go first). */
export const QUEUE_MAX = 5_000;
/** A failure a later batch may get past (the rest mean the server refuses this content). */
const KEEP_ON: ReadonlySet<ErrorCode> = new Set(["unavailable", "deadline-exceeded", "internal", "unknown", "aborted", "resource-exhausted"]);

const encoder = new TextEncoder();

/** Split into batches within the protocol's limits (message count, UTF-8 bytes), in order. */
export function batches(messages: readonly ArchiveMessage[], maxCount: number = LIMITS.chatMessagesMax, maxBytes = BATCH_MAX_BYTES): ArchiveMessage[][] {
  const out: ArchiveMessage[][] = [];
  let current: ArchiveMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = encoder.encode(message.text).length + 64;
    if (current.length && (current.length >= maxCount || bytes + size > maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

export class ChatArchiver {
  private queue: ArchiveMessage[] = [];
  /** Batches a transient failure kept, sent again exactly as they were and before anything
   * newer: the server knows a batch it already stored by its content, so a repeat whose first
   * attempt did arrive stores nothing twice. */
  private retry: ArchiveMessage[][] = [];
  private timer: unknown = null;
  private flushing: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly intervalMs: number;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly options: ChatArchiveOptions) {
    this.intervalMs = options.intervalMs ?? 10_000;
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  }

  /** Messages waiting for the next batch. */
  get pending(): number {
    return this.retry.reduce((n, batch) => n + batch.length, this.queue.length);
  }

  /** At most QUEUE_MAX messages wait: the oldest go first, a kept batch whole (a batch cut
   * short would be another batch to the server). */
  private trim(): void {
    while (this.retry.length && this.pending > QUEUE_MAX) this.retry.shift();
    const over = this.pending - QUEUE_MAX;
    if (over > 0) this.queue.splice(0, over);
  }

  /** A message we wrote (to everyone, or privately `to` one participant). Never throws, never waits. */
  add(text: string, at: number, to?: string): void {
    if (this.stopped || !this.options.enabled() || !text.trim()) return;
    this.queue.push(to ? { text: text.slice(0, LIMITS.chatTextMaxChars), at, to } : { text: text.slice(0, LIMITS.chatTextMaxChars), at });
    this.trim();
    this.schedule();
  }

  /** Take back a message still waiting for its batch (deleted for everyone); false when it is
   * not waiting: sent already (or never queued). A batch kept for a retry stays as it was. */
  withdraw(text: string, at: number): boolean {
    const body = text.slice(0, LIMITS.chatTextMaxChars);
    const index = this.queue.findIndex((m) => m.at === at && m.text === body);
    if (index < 0) return false;
    this.queue.splice(index, 1);
    return true;
  }

  /** One of our messages edited: still waiting for its batch, its text is replaced there (true);
   * sent already, the new text goes too (false): an archive keeps what it got. Either way under
   * the message's own time, so that deleting it afterwards withdraws the text it has now. */
  edit(before: { text: string; at: number }, text: string, to?: string): boolean {
    const waiting = this.withdraw(before.text, before.at);
    this.add(text, before.at, to);
    return waiting;
  }

  private schedule(): void {
    this.timer ??= this.setTimer(() => {
      this.timer = null;
      void this.flush();
    }, this.intervalMs);
  }

  /** Resolves when the flush under way (if any) is over. */
  settled(): Promise<void> {
    return this.flushing;
  }

  /** Send what is queued (one flush at a time); resolves when done, never rejects. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.sendQueued());
    return this.flushing;
  }

  /** At leave: the last batch, then nothing more. */
  async stop(): Promise<void> {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    await this.flush();
    this.stopped = true;
    this.queue = [];
    this.retry = [];
  }

  private async sendQueued(): Promise<void> {
    if (!this.options.enabled()) {
      this.queue = []; // no longer stored (or never was): nothing may leave this browser
      this.retry = [];
      return;
    }
    const parts = [...this.retry, ...batches(this.queue)];
    this.queue = [];
    this.retry = [];
    for (let i = 0; i < parts.length; i++) {
      try {
        await this.options.send(parts[i]);
      } catch (error) {
        const code = errorCode(error);
        console.debug(`archiving the chat failed (${code})`);
        // Kept for the next batch only when a later attempt may succeed.
        if (KEEP_ON.has(code) && !this.stopped) {
          this.retry = parts.slice(i);
          this.trim();
          this.schedule();
        }
        return;
      }
    }
  }
}
