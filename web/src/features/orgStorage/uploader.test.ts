// The uploader against a test double of a Cloud Storage resumable session's HTTP semantics
// (not the real service: fake-gcs-server is exercised end to end by the emulator tests).
import { describe, expect, it } from "vitest";
import { CHUNK_QUANTUM, chunkSizeFor, nextOffset, resumableUpload, UploadError, type Http } from "./uploader";

const Q = CHUNK_QUANTUM;

/** A resumable session for `total` bytes; `fail(n)` decides what the n-th request suffers. */
function fakeSession(
  total: number,
  fail: (n: number) => "network" | "503" | "lose-answer" | null = () => null,
  exposesRange = true,
) {
  const stored: Uint8Array[] = [];
  let committed = 0;
  let requests = 0;
  const ranges: string[] = [];
  const answer = (status: number) => ({
    status,
    headers: {
      get: (name: string) =>
        exposesRange && name.toLowerCase() === "range" && status === 308 && committed > 0 ? `bytes=0-${committed - 1}` : null,
    },
  });
  const http: Http = async (_url, init) => {
    requests++;
    const header = init.headers["Content-Range"];
    ranges.push(header);
    const trouble = fail(requests);
    if (trouble === "network") throw new TypeError("Failed to fetch");
    if (trouble === "503") return answer(503);
    if (header === `bytes */${total}`) return answer(committed === total ? 200 : 308);
    const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header);
    if (!match || Number(match[3]) !== total) return answer(400);
    const [start, end] = [Number(match[1]), Number(match[2])];
    const body = new Uint8Array(await init.body!.arrayBuffer());
    if (start !== committed || body.length !== end - start + 1) return answer(400); // GCS accepts the next bytes only
    if (end + 1 !== total && body.length % Q !== 0) return answer(400);
    stored.push(body);
    committed = end + 1;
    if (trouble === "lose-answer") throw new TypeError("Failed to fetch"); // stored, but the answer is lost
    return answer(committed === total ? 201 : 308);
  };
  const bytes = () => {
    const all = new Uint8Array(stored.reduce((n, b) => n + b.length, 0));
    stored.reduce((at, b) => (all.set(b, at), at + b.length), 0);
    return all;
  };
  return { http, bytes, ranges, get requests() {
    return requests;
  } };
}

function blobOf(size: number): { blob: Blob; data: Uint8Array } {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i * 7) % 251;
  return { blob: new Blob([data]), data };
}

/** Where two byte strings first differ (-1: the same). toEqual walks a megabyte element by
 * element, seconds a test on a loaded machine, enough to hit the test timeout. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

const noWait = async () => undefined;

describe("resumableUpload", () => {
  it("goes on after each answered chunk when the storage's CORS hides Range (the local emulator)", async () => {
    const { blob, data } = blobOf(3 * Q + 10);
    const session = fakeSession(blob.size, () => null, false);
    await resumableUpload({ url: "u", blob, http: session.http, chunkBytes: Q, sleep: noWait });
    expect(firstDifference(session.bytes(), data)).toBe(-1);
    expect(session.requests).toBe(4);
  });

  it("sends quantum-sized chunks with Content-Range and reports progress", async () => {
    const { blob, data } = blobOf(2 * Q + 1000);
    const session = fakeSession(blob.size);
    const progress: number[] = [];
    await resumableUpload({ url: "u", blob, http: session.http, chunkBytes: Q, onProgress: (sent) => progress.push(sent), sleep: noWait });
    expect(session.ranges).toEqual([`bytes 0-${Q - 1}/${blob.size}`, `bytes ${Q}-${2 * Q - 1}/${blob.size}`, `bytes ${2 * Q}-${blob.size - 1}/${blob.size}`]);
    expect(firstDifference(session.bytes(), data)).toBe(-1);
    expect(progress).toEqual([Q, 2 * Q, blob.size]);
  });

  it("after a failed chunk asks the session how far it got and goes on from there", async () => {
    const { blob, data } = blobOf(3 * Q);
    const session = fakeSession(blob.size, (n) => (n === 2 ? "network" : n === 3 ? "503" : null));
    await resumableUpload({ url: "u", blob, http: session.http, chunkBytes: Q, sleep: noWait });
    expect(session.ranges.slice(1, 5)).toEqual([`bytes ${Q}-${2 * Q - 1}/${3 * Q}`, `bytes */${3 * Q}`, `bytes */${3 * Q}`, `bytes ${Q}-${2 * Q - 1}/${3 * Q}`]);
    expect(firstDifference(session.bytes(), data)).toBe(-1);
  });

  it("does not send again a chunk the session stored when only its answer was lost", async () => {
    const { blob, data } = blobOf(2 * Q);
    const session = fakeSession(blob.size, (n) => (n === 1 ? "lose-answer" : null));
    await resumableUpload({ url: "u", blob, http: session.http, chunkBytes: Q, sleep: noWait });
    expect(session.ranges).toEqual([`bytes 0-${Q - 1}/${2 * Q}`, `bytes */${2 * Q}`, `bytes ${Q}-${2 * Q - 1}/${2 * Q}`]);
    expect(firstDifference(session.bytes(), data)).toBe(-1);
  });

  it("finishes at once when the status query says the session is complete", async () => {
    const { blob } = blobOf(Q);
    const session = fakeSession(blob.size, (n) => (n === 1 ? "lose-answer" : null));
    await resumableUpload({ url: "u", blob, http: session.http, chunkBytes: Q, sleep: noWait });
    expect(session.requests).toBe(2);
  });

  it("gives up after failures in a row, on an expired session and on a refusal", async () => {
    const { blob } = blobOf(Q);
    const down = fakeSession(blob.size, () => "503");
    await expect(resumableUpload({ url: "u", blob, http: down.http, chunkBytes: Q, maxFailures: 3, sleep: noWait })).rejects.toBeInstanceOf(UploadError);
    expect(down.requests).toBe(3);
    const gone: Http = async () => ({ status: 410, headers: { get: () => null } });
    await expect(resumableUpload({ url: "u", blob, http: gone, sleep: noWait })).rejects.toMatchObject({ status: 410 });
  });

  it("stops when aborted", async () => {
    const { blob } = blobOf(3 * Q);
    const controller = new AbortController();
    const session = fakeSession(blob.size);
    const upload = resumableUpload({
      url: "u",
      blob,
      http: session.http,
      chunkBytes: Q,
      sleep: noWait,
      onProgress: (sent) => sent >= Q && controller.abort(),
      signal: controller.signal,
    });
    await expect(upload).rejects.toMatchObject({ name: "AbortError" });
    expect(session.requests).toBe(1);
  });

  it("uploads an empty file and refuses a chunk size off the quantum", async () => {
    const session = fakeSession(0);
    await resumableUpload({ url: "u", blob: new Blob([]), http: session.http, sleep: noWait });
    expect(session.ranges).toEqual(["bytes */0"]);
    await expect(resumableUpload({ url: "u", blob: new Blob(["x"]), http: session.http, chunkBytes: 1000 })).rejects.toThrow(/multiple/);
  });

  it("reads Range and picks chunk sizes", () => {
    expect(nextOffset(null)).toBe(0);
    expect(nextOffset("bytes=0-262143")).toBe(262144);
    expect(chunkSizeFor(0)).toBe(Q);
    expect(chunkSizeFor(100 * 1024 * 1024)).toBe(20 * Q);
    expect(chunkSizeFor(10 * 1024 ** 3)).toBe(32 * Q);
  });
});
