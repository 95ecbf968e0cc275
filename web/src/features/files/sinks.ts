/**
 * Where received files are written: the Origin Private File System (createWritable), so a large
 * file is never held in memory, one folder per session; a Blob of the chunks where OPFS streams
 * are missing.
 */

export const ROOT_DIR = "avmeets-files";

export interface Sink {
  write(chunk: ArrayBuffer): void;
  finish(): Promise<Blob>;
  abort(): Promise<void>;
}

/** OPFS sink: chunks are written in order through one promise chain. */
export class OpfsSink implements Sink {
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
export class BlobSink implements Sink {
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

export async function opfsRoot(): Promise<FileSystemDirectoryHandle | null> {
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
