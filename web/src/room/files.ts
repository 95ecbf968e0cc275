/**
 * File sharing over each peer's dedicated "files" data channel: a JSON header, binary chunks of
 * 64 KiB with backpressure (pause while bufferedAmount is high, resume on bufferedamountlow), a
 * JSON trailer. Transfers on one channel go one after the other. The receiver streams the chunks
 * into the Origin Private File System (createWritable) so a large file is never held in memory,
 * then offers a download link; without OPFS it falls back to a Blob of the chunks.
 */
import { Emitter } from "./emitter";
import type { PeerLink } from "./peer";

export const CHUNK_SIZE = 64 * 1024;
const BUFFER_HIGH = 8 * 1024 * 1024;
const ROOT_DIR = "avmeets-files";

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

interface Sink {
  write(chunk: ArrayBuffer): void;
  finish(): Promise<Blob>;
  abort(): Promise<void>;
}

interface Incoming {
  transfer: Transfer;
  sink: Sink;
}

type FileEvents = { transfer: Transfer };

interface MeetingLike {
  readonly links: Map<string, PeerLink>;
  displayName(uid: string): string;
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function cleanName(name: unknown): string {
  const text = String(name ?? "file")
    .replace(/[\\/:*?"<>|\u0000-\u001f]/g, "_")
    .trim()
    .slice(0, 200);
  return text || "file";
}

/** OPFS sink: chunks are written in order through one promise chain. */
class OpfsSink implements Sink {
  private chain: Promise<void>;
  private writable: FileSystemWritableFileStream | null = null;
  private failed: unknown = null;

  constructor(
    private readonly dir: FileSystemDirectoryHandle,
    private readonly fileName: string,
  ) {
    this.chain = (async () => {
      const handle = await dir.getFileHandle(fileName, { create: true });
      this.writable = await handle.createWritable();
    })().catch((error) => {
      this.failed = error;
    });
  }

  write(chunk: ArrayBuffer): void {
    this.chain = this.chain.then(async () => {
      if (this.failed || !this.writable) return;
      try {
        await this.writable.write(chunk);
      } catch (error) {
        this.failed = error;
      }
    });
  }

  async finish(): Promise<Blob> {
    await this.chain;
    if (this.failed || !this.writable) throw this.failed ?? new Error("no writable");
    await this.writable.close();
    const handle = await this.dir.getFileHandle(this.fileName);
    return handle.getFile();
  }

  async abort(): Promise<void> {
    await this.chain;
    try {
      await this.writable?.abort();
    } catch {
      /* nothing to abort */
    }
    await this.dir.removeEntry(this.fileName).catch(() => undefined);
  }
}

/** Fallback where OPFS streams are missing: the browser may page a Blob's parts to disk. */
class BlobSink implements Sink {
  private parts: Blob[] = [];

  constructor(private readonly mime: string) {}

  write(chunk: ArrayBuffer): void {
    this.parts.push(new Blob([chunk]));
  }

  async finish(): Promise<Blob> {
    const blob = new Blob(this.parts, { type: this.mime });
    this.parts = [];
    return blob;
  }

  async abort(): Promise<void> {
    this.parts = [];
  }
}

async function opfsRoot(): Promise<FileSystemDirectoryHandle | null> {
  try {
    if (!navigator.storage?.getDirectory) return null;
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle(ROOT_DIR, { create: true });
    // createWritable is what keeps memory flat; without it use the Blob fallback.
    const probe = await dir.getFileHandle(".probe", { create: true });
    const ok = typeof (probe as FileSystemFileHandle & { createWritable?: unknown }).createWritable === "function";
    await dir.removeEntry(".probe").catch(() => undefined);
    return ok ? dir : null;
  } catch {
    return null;
  }
}

export class FileShare extends Emitter<FileEvents> {
  readonly transfers: Transfer[] = [];
  private queues = new Map<PeerLink, Outgoing[]>();
  private pumping = new Set<PeerLink>();
  private incoming = new Map<PeerLink, Incoming>();
  private dir: FileSystemDirectoryHandle | null = null;
  private releaseLock: (() => void) | null = null;
  private session: string | null = null;

  constructor(private readonly meeting: MeetingLike) {
    super();
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
    const entries = (root as FileSystemDirectoryHandle & {
      keys?: () => AsyncIterableIterator<string>;
    }).keys?.();
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
    for (const transfer of this.transfers) if (transfer.url) URL.revokeObjectURL(transfer.url);
    const root = this.dir && (await opfsRoot());
    if (root && this.session) await root.removeEntry(this.session, { recursive: true }).catch(() => undefined);
    this.releaseLock?.();
    this.releaseLock = null;
  }

  /** Send to everyone connected (toUid null) or only on one participant's channel. */
  send(file: File, toUid: string | null): Transfer[] {
    const group = randomId();
    const targets = toUid ? [this.meeting.links.get(toUid)].filter(Boolean) : [...this.meeting.links.values()];
    const created: Transfer[] = [];
    for (const link of targets as PeerLink[]) {
      if (!link.channel("files")) continue;
      const transfer: Transfer = {
        id: randomId(),
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
      this.transfers.push(transfer);
      created.push(transfer);
      const queue = this.queues.get(link) ?? [];
      queue.push({ transfer, file, link, cancelled: false });
      this.queues.set(link, queue);
      this.emit("transfer", transfer);
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
        const item = queue[0];
        await this.sendOne(item);
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
      this.emit("transfer", transfer);
    };
    if (!channel) return fail("failed", "not connected");
    if (item.cancelled) return fail("cancelled");
    transfer.status = "sending";
    this.emit("transfer", transfer);
    try {
      channel.send(
        JSON.stringify({
          t: "file",
          fid: transfer.id,
          name: transfer.name,
          size: transfer.size,
          mime: transfer.mime,
          scope: transfer.private ? "private" : "all",
        }),
      );
      let offset = 0;
      let lastEmit = 0;
      while (offset < file.size) {
        if (item.cancelled) {
          channel.send(JSON.stringify({ t: "file-cancel", fid: transfer.id }));
          return fail("cancelled");
        }
        if (channel.readyState !== "open") return fail("failed", "connection closed");
        if (channel.bufferedAmount > BUFFER_HIGH) await waitForLow(channel);
        const chunk = await file.slice(offset, offset + CHUNK_SIZE).arrayBuffer();
        channel.send(chunk);
        offset += chunk.byteLength;
        transfer.bytes = Math.max(0, offset - channel.bufferedAmount);
        const now = performance.now();
        if (now - lastEmit > 100) {
          lastEmit = now;
          this.emit("transfer", transfer);
        }
      }
      channel.send(JSON.stringify({ t: "file-end", fid: transfer.id }));
      while (channel.readyState === "open" && channel.bufferedAmount > 0) {
        transfer.bytes = Math.max(0, file.size - channel.bufferedAmount);
        this.emit("transfer", transfer);
        await waitForLow(channel, 250);
      }
      if (channel.readyState !== "open") return fail("failed", "connection closed");
      transfer.bytes = file.size;
      transfer.status = "done";
      this.emit("transfer", transfer);
    } catch (error) {
      fail("failed", (error as Error).message);
    }
  }

  channelOpen(_link: PeerLink, _channel: RTCDataChannel): void {
    /* transfers start on demand */
  }

  linkClosed(link: PeerLink): void {
    const incoming = this.incoming.get(link);
    if (incoming) {
      this.incoming.delete(link);
      void incoming.sink.abort();
      incoming.transfer.status = "failed";
      incoming.transfer.error = "connection closed";
      this.emit("transfer", incoming.transfer);
    }
    for (const item of this.queues.get(link) ?? []) item.cancelled = true;
    this.queues.delete(link);
  }

  onMessage(link: PeerLink, data: string | ArrayBuffer): void {
    if (typeof data !== "string") {
      const incoming = this.incoming.get(link);
      if (!incoming) return;
      incoming.sink.write(data);
      incoming.transfer.bytes += data.byteLength;
      this.emit("transfer", incoming.transfer);
      return;
    }
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return;
    }
    if (message.t === "file") this.beginIncoming(link, message);
    else if (message.t === "file-end") void this.endIncoming(link, String(message.fid));
    else if (message.t === "file-cancel") void this.cancelIncoming(link, String(message.fid));
  }

  private beginIncoming(link: PeerLink, message: Record<string, unknown>): void {
    const previous = this.incoming.get(link);
    if (previous) void previous.sink.abort();
    const transfer: Transfer = {
      id: String(message.fid ?? randomId()),
      direction: "in",
      name: cleanName(message.name),
      size: Math.max(0, Number(message.size) || 0),
      mime: typeof message.mime === "string" ? message.mime.slice(0, 200) : "application/octet-stream",
      peerUid: link.uid,
      private: message.scope === "private",
      bytes: 0,
      status: "receiving",
      startedAt: Date.now(),
      group: String(message.fid ?? ""),
    };
    const sink: Sink = this.dir
      ? new OpfsSink(this.dir, `${transfer.id.replace(/[^a-z0-9]/gi, "")}.part`)
      : new BlobSink(transfer.mime);
    this.incoming.set(link, { transfer, sink });
    this.transfers.push(transfer);
    this.emit("transfer", transfer);
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
    this.emit("transfer", transfer);
  }

  private async cancelIncoming(link: PeerLink, fid: string): Promise<void> {
    const incoming = this.incoming.get(link);
    if (!incoming || incoming.transfer.id !== fid) return;
    this.incoming.delete(link);
    await incoming.sink.abort();
    incoming.transfer.status = "cancelled";
    this.emit("transfer", incoming.transfer);
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
