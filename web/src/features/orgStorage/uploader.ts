/**
 * A resumable upload to a Google Cloud Storage session URL (what `upload_object` returns):
 * the bytes go straight from the browser in chunks, each `PUT` with `Content-Range: bytes a-b/total`
 * (a multiple of 256 KiB except the last). 308 with `Range: bytes=0-n` means "continue at n+1",
 * 200/201 means done. After a failed chunk we ask the session how far it got (an empty `PUT`
 * whose `Content-Range` gives only the total, "bytes *" and "/total") and go on from there.
 * The HTTP client, the waits and the chunk size are injected (tests use a double).
 */

export const CHUNK_QUANTUM = 256 * 1024;

/** The part of `fetch` used here (a test double implements only this). */
export type Http = (url: string, init: { method: string; headers: Record<string, string>; body?: Blob; signal?: AbortSignal }) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
}>;

export interface UploadOptions {
  url: string;
  blob: Blob;
  /** Bytes the session has confirmed so far, and the total. */
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
  http?: Http;
  /** Multiple of CHUNK_QUANTUM. */
  chunkBytes?: number;
  /** Failures in a row before giving up. */
  maxFailures?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = "UploadError";
  }
}

/** The next byte to send after a 308's `Range: bytes=0-n` (none: nothing stored yet). */
export function nextOffset(range: string | null): number {
  const match = range ? /bytes=0-(\d+)/.exec(range) : null;
  return match ? Number(match[1]) + 1 : 0;
}

/** A chunk size near 1/20th of the file, in whole quanta, from one quantum to 8 MiB. */
export function chunkSizeFor(total: number): number {
  const quanta = Math.min(32, Math.max(1, Math.ceil(total / 20 / CHUNK_QUANTUM)));
  return quanta * CHUNK_QUANTUM;
}

/** Statuses after which asking the session again cannot help. */
function fatal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function abortError(): Error {
  return new DOMException("The upload was cancelled.", "AbortError");
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Upload `blob` to the session; resolves when the session says it is complete. */
export async function resumableUpload(options: UploadOptions): Promise<void> {
  const { url, blob, signal } = options;
  const http: Http = options.http ?? ((u, init) => fetch(u, init));
  const sleep = options.sleep ?? defaultSleep;
  const total = blob.size;
  const chunk = options.chunkBytes ?? chunkSizeFor(total);
  if (chunk % CHUNK_QUANTUM !== 0 || chunk <= 0) throw new Error(`chunk size ${chunk} is not a multiple of ${CHUNK_QUANTUM}`);
  const maxFailures = options.maxFailures ?? 6;
  let offset = 0;
  let failures = 0;
  // What to send next: a chunk, or (after a failure) the question of how far the session got.
  let asking = false;
  for (;;) {
    if (signal?.aborted) throw abortError();
    let status: number;
    let range: string | null = null;
    const end = Math.min(offset + chunk, total);
    try {
      const response = asking
        ? await http(url, { method: "PUT", headers: { "Content-Range": `bytes */${total}` }, signal })
        : await http(url, {
            method: "PUT",
            headers: { "Content-Range": total === 0 ? "bytes */0" : `bytes ${offset}-${end - 1}/${total}` },
            body: blob.slice(offset, end),
            signal,
          });
      status = response.status;
      range = response.headers.get("Range");
    } catch (error) {
      if (signal?.aborted) throw abortError();
      status = 0; // the network: ask the session next
      console.debug("upload chunk failed", error);
    }
    if (status === 200 || status === 201) {
      options.onProgress?.(total, total);
      return;
    }
    if (status === 308) {
      // A storage whose CORS does not expose `Range` (the local emulator) hides how far it
      // got: after a chunk it answered for, go on from that chunk's end.
      offset = range !== null || asking ? nextOffset(range) : end;
      asking = false;
      failures = 0;
      options.onProgress?.(offset, total);
      continue;
    }
    if (status === 404 || status === 410) throw new UploadError("The upload session has expired.", status);
    if (fatal(status)) throw new UploadError(`The storage refused the upload (HTTP ${status}).`, status);
    if (++failures >= maxFailures) throw new UploadError(`The upload failed ${failures} times in a row${status ? ` (HTTP ${status})` : ""}.`, status || null);
    await sleep(Math.min(30_000, 500 * 2 ** (failures - 1)));
    asking = true;
  }
}

/** Cancel a session on the storage (best effort: an unfinished upload otherwise lingers a week). */
export async function cancelSession(url: string, http: Http = (u, init) => fetch(u, init)): Promise<void> {
  try {
    await http(url, { method: "DELETE", headers: {} });
  } catch {
    // the session expires by itself
  }
}
