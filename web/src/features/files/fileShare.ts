/**
 * File sharing over each peer's dedicated "files" data channel (chunking.ts has the framing):
 * binary chunks with backpressure (pause while bufferedAmount is high, resume on
 * bufferedamountlow). Transfers on one channel go one after the other. The receiver streams the
 * chunks into browser storage (sinks.ts), then offers a download link.
 */
import { signal, type Signal } from "@preact/signals-core";
import { Emitter } from "../../core/state/emitter";
import { randomId } from "../../core/meeting/chatChannel";
import type { ChannelProtocol } from "../../core/meeting/link";
import type { PeerLink } from "../../core/meeting/peer";
import { bytesSent, chunkRanges, cleanName, parseFileHeader, parseFileMessage } from "./chunking";
import { BlobSink, OpfsSink, opfsRoot, type Sink } from "./sinks";
import { OPEN_RULES, type MessageRules } from "../hosts/permissions";

const BUFFER_HIGH = 8 * 1024 * 1024;
/** Progress is published at most this often while a file is sent. */
const PROGRESS_MS = 100;

export type TransferStatus = "queued" | "sending" | "receiving" | "done" | "failed" | "cancelled";

export interface Transfer {
  id: string;
  direction: "out" | "in";
  name: string;
  size: number;
  mime: string;
  /** The other participant: the addressee when sending, the sender when receiving. */
  peerUid: string;
  /** Sent to everyone (one transfer per addressee) or privately to one participant. */
  private: boolean;
  bytes: number;
  status: TransferStatus;
  url?: string;
  error?: string;
  startedAt: number;
  /** Groups the per-peer transfers of one file sent to everyone. */
  group: string;
}

interface Outgoing {
  transfer: Transfer;
  file: File;
  link: PeerLink;
  cancelled: boolean;
}

interface Incoming {
  transfer: Transfer;
  sink: Sink;
}

interface MeetingLike {
  readonly links: ReadonlyMap<string, PeerLink>;
}

type FileEvents = { started: Transfer };

export class FileShare extends Emitter<FileEvents> implements ChannelProtocol {
  readonly label = "files";
  /** Every transfer of this meeting, newest last; each one a signal of its current state. */
  readonly transfers = signal<readonly Signal<Transfer>[]>([]);
  private views = new Map<string, Signal<Transfer>>();
  private queues = new Map<PeerLink, Outgoing[]>();
  private pumping = new Set<PeerLink>();
  private incoming = new Map<PeerLink, Incoming>();
  private dir: FileSystemDirectoryHandle | null = null;
  private releaseLock: (() => void) | null = null;
  private session: string | null = null;

  constructor(
    private readonly meeting: MeetingLike,
    /** What the meeting's hosts allow of sending files (features/hosts/permissions.ts). */
    private readonly rules: MessageRules = OPEN_RULES,
  ) {
    super();
  }

  /** Whether a file to `toUid` (null: everyone) may go (the hosts' rules). */
  mayWrite(toUid: string | null): boolean {
    return this.rules.mayWrite(toUid);
  }

  /** Publish a transfer's new state (a new one is appended to the list). */
  private publish(transfer: Transfer): void {
    const view = this.views.get(transfer.id);
    if (view) {
      view.value = { ...transfer };
      return;
    }
    const created = signal<Transfer>({ ...transfer });
    this.views.set(transfer.id, created);
    this.transfers.value = [...this.transfers.peek(), created];
    this.emit("started", transfer);
  }

  /** Per-session OPFS folder, held by a Web Lock; folders of sessions nobody holds are removed. */
  async start(session: string): Promise<void> {
    // A re-join (new session) keeps the folder, and the files already received, of the first one.
    if (this.session) return;
    this.session = session;
    const root = await opfsRoot();
    if (!root) return;
    try {
      this.dir = await root.getDirectoryHandle(session, { create: true });
    } catch {
      this.dir = null;
      return;
    }
    if (navigator.locks) {
      await new Promise<void>((locked) => {
        void navigator.locks.request(`avmeets-files-${session}`, () => {
          locked();
          return new Promise<void>((release) => (this.releaseLock = release));
        });
      });
      void this.sweep(root, session);
    }
  }

  private async sweep(root: FileSystemDirectoryHandle, current: string): Promise<void> {
    const entries = (root as FileSystemDirectoryHandle & { keys?: () => AsyncIterableIterator<string> }).keys?.();
    if (!entries) return;
    for await (const name of entries) {
      if (name === current || name.startsWith(".")) continue;
      await navigator.locks.request(`avmeets-files-${name}`, { ifAvailable: true }, async (lock) => {
        if (lock) await root.removeEntry(name, { recursive: true }).catch(() => undefined);
      });
    }
  }

  async stop(): Promise<void> {
    for (const queue of this.queues.values()) for (const item of queue) item.cancelled = true;
    for (const [link, incoming] of this.incoming) {
      this.incoming.delete(link);
      await incoming.sink.abort();
    }
    for (const view of this.views.values()) if (view.peek().url) URL.revokeObjectURL(view.peek().url!);
    const root = this.dir && (await opfsRoot());
    if (root && this.session) await root.removeEntry(this.session, { recursive: true }).catch(() => undefined);
    this.releaseLock?.();
    this.releaseLock = null;
  }

  /** Send to everyone connected (toUid null) or only on one participant's channel. */
  send(file: File, toUid: string | null): Transfer[] {
    if (!this.rules.mayWrite(toUid)) return [];
    const group = randomId(8);
    const targets = toUid ? [this.meeting.links.get(toUid)].filter((l) => !!l) : [...this.meeting.links.values()];
    const created: Transfer[] = [];
    for (const link of targets) {
      if (!link.channel("files")) continue;
      const transfer: Transfer = {
        id: randomId(8),
        direction: "out",
        name: cleanName(file.name),
        size: file.size,
        mime: file.type || "application/octet-stream",
        peerUid: link.uid,
        private: !!toUid,
        bytes: 0,
        status: "queued",
        startedAt: Date.now(),
        group,
      };
      created.push(transfer);
      const queue = this.queues.get(link) ?? [];
      queue.push({ transfer, file, link, cancelled: false });
      this.queues.set(link, queue);
      this.publish(transfer);
      void this.pump(link);
    }
    return created;
  }

  cancel(transferId: string): void {
    for (const queue of this.queues.values()) {
      for (const item of queue) if (item.transfer.id === transferId) item.cancelled = true;
    }
  }

  private async pump(link: PeerLink): Promise<void> {
    if (this.pumping.has(link)) return;
    this.pumping.add(link);
    try {
      const queue = this.queues.get(link) ?? [];
      while (queue.length) {
        await this.sendOne(queue[0]);
        queue.shift();
      }
    } finally {
      this.pumping.delete(link);
    }
  }

  private async sendOne(item: Outgoing): Promise<void> {
    const { transfer, file, link } = item;
    const channel = link.channel("files");
    const fail = (status: TransferStatus, error?: string) => {
      transfer.status = status;
      transfer.error = error;
      this.publish(transfer);
    };
    if (!channel) return fail("failed", "not connected");
    if (item.cancelled) return fail("cancelled");
    transfer.status = "sending";
    this.publish(transfer);
    try {
      const scope = transfer.private ? "private" : "all";
      channel.send(JSON.stringify({ t: "file", fid: transfer.id, name: transfer.name, size: transfer.size, mime: transfer.mime, scope }));
      let lastPublished = 0;
      for (const [start, end] of chunkRanges(file.size)) {
        if (item.cancelled) {
          channel.send(JSON.stringify({ t: "file-cancel", fid: transfer.id }));
          return fail("cancelled");
        }
        if (channel.readyState !== "open") return fail("failed", "connection closed");
        if (channel.bufferedAmount > BUFFER_HIGH) await waitForLow(channel);
        channel.send(await file.slice(start, end).arrayBuffer());
        transfer.bytes = bytesSent(end, channel.bufferedAmount);
        if (performance.now() - lastPublished > PROGRESS_MS) {
          lastPublished = performance.now();
          this.publish(transfer);
        }
      }
      channel.send(JSON.stringify({ t: "file-end", fid: transfer.id }));
      while (channel.readyState === "open" && channel.bufferedAmount > 0) {
        transfer.bytes = bytesSent(file.size, channel.bufferedAmount);
        this.publish(transfer);
        await waitForLow(channel, 250);
      }
      if (channel.readyState !== "open") return fail("failed", "connection closed");
      transfer.bytes = file.size;
      transfer.status = "done";
      this.publish(transfer);
    } catch (error) {
      fail("failed", (error as Error).message);
    }
  }

  /** The link's files channel closed or the link went: its transfers end. */
  closed(link: PeerLink): void {
    const incoming = this.incoming.get(link);
    if (incoming) {
      this.incoming.delete(link);
      void incoming.sink.abort();
      incoming.transfer.status = "failed";
      incoming.transfer.error = "connection closed";
      this.publish(incoming.transfer);
    }
    for (const item of this.queues.get(link) ?? []) item.cancelled = true;
    this.queues.delete(link);
  }

  message(link: PeerLink, data: string | ArrayBuffer): void {
    if (typeof data !== "string") {
      const incoming = this.incoming.get(link);
      if (!incoming) return;
      incoming.sink.write(data);
      incoming.transfer.bytes += data.byteLength;
      this.publish(incoming.transfer);
      return;
    }
    const message = parseFileMessage(data);
    if (message?.t === "file") this.beginIncoming(link, message.message);
    else if (message?.t === "file-end") void this.endIncoming(link, message.fid);
    else if (message?.t === "file-cancel") void this.cancelIncoming(link, message.fid);
  }

  private beginIncoming(link: PeerLink, message: Record<string, unknown>): void {
    const previous = this.incoming.get(link);
    if (previous) void previous.sink.abort();
    this.incoming.delete(link);
    const header = parseFileHeader(message, () => randomId(8));
    // Turned off by a host for the sender: not received (its chunks then go nowhere).
    if (!this.rules.accepts(link.uid, header.private ? "private" : "all")) return;
    const transfer: Transfer = {
      id: header.fid,
      direction: "in",
      name: header.name,
      size: header.size,
      mime: header.mime,
      peerUid: link.uid,
      private: header.private,
      bytes: 0,
      status: "receiving",
      startedAt: Date.now(),
      group: String(message.fid ?? ""),
    };
    const sink: Sink = this.dir
      ? new OpfsSink(this.dir, `${transfer.id.replace(/[^a-z0-9]/gi, "")}.part`)
      : new BlobSink(transfer.mime);
    this.incoming.set(link, { transfer, sink });
    this.publish(transfer);
  }

  private async endIncoming(link: PeerLink, fid: string): Promise<void> {
    const incoming = this.incoming.get(link);
    if (!incoming || incoming.transfer.id !== fid) return;
    this.incoming.delete(link);
    const { transfer, sink } = incoming;
    try {
      const blob = await sink.finish();
      if (blob.size !== transfer.size) throw new Error(`got ${blob.size} of ${transfer.size} bytes`);
      const typed = blob.type === transfer.mime ? blob : blob.slice(0, blob.size, transfer.mime);
      transfer.url = URL.createObjectURL(typed);
      transfer.bytes = transfer.size;
      transfer.status = "done";
    } catch (error) {
      transfer.status = "failed";
      transfer.error = (error as Error).message;
      await sink.abort();
    }
    this.publish(transfer);
  }

  private async cancelIncoming(link: PeerLink, fid: string): Promise<void> {
    const incoming = this.incoming.get(link);
    if (!incoming || incoming.transfer.id !== fid) return;
    this.incoming.delete(link);
    await incoming.sink.abort();
    incoming.transfer.status = "cancelled";
    this.publish(incoming.transfer);
  }
}

function waitForLow(channel: RTCDataChannel, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      channel.removeEventListener("bufferedamountlow", done);
      channel.removeEventListener("close", done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    channel.addEventListener("bufferedamountlow", done);
    channel.addEventListener("close", done);
  });
}
