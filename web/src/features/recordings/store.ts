/**
 * Recordings kept in this browser's IndexedDB, never uploaded. A recording is a metadata record
 * plus numbered chunks written while MediaRecorder runs (so a crash loses a second at most).
 */

export interface RecordingMeta {
  id: string;
  meetingId: string;
  title: string | null;
  startedAt: number;
  durationMs: number;
  size: number;
  mime: string;
  chunks: number;
  complete: boolean;
}

const DB_NAME = "avmeets-recordings";
const DB_VERSION = 1;

let dbPromise: Promise<IDBDatabase> | null = null;

function openDb(): Promise<IDBDatabase> {
  dbPromise ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("recordings")) db.createObjectStore("recordings", { keyPath: "id" });
      if (!db.objectStoreNames.contains("chunks")) db.createObjectStore("chunks");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return dbPromise;
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

function result<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export async function saveMeta(meta: RecordingMeta): Promise<void> {
  const db = await openDb();
  const tx = db.transaction("recordings", "readwrite");
  tx.objectStore("recordings").put(meta);
  await done(tx);
}

export async function saveChunk(id: string, seq: number, blob: Blob): Promise<void> {
  const db = await openDb();
  const tx = db.transaction("chunks", "readwrite");
  tx.objectStore("chunks").put(blob, [id, seq]);
  await done(tx);
}

export async function listRecordings(): Promise<RecordingMeta[]> {
  const db = await openDb();
  const tx = db.transaction("recordings", "readonly");
  const all = await result(tx.objectStore("recordings").getAll() as IDBRequest<RecordingMeta[]>);
  return all.sort((a, b) => b.startedAt - a.startedAt);
}

export async function recordingBlob(meta: RecordingMeta): Promise<Blob> {
  const db = await openDb();
  const tx = db.transaction("chunks", "readonly");
  const range = IDBKeyRange.bound([meta.id, 0], [meta.id, Number.MAX_SAFE_INTEGER]);
  const parts = await result(tx.objectStore("chunks").getAll(range) as IDBRequest<Blob[]>);
  return new Blob(parts, { type: meta.mime });
}

export async function deleteRecording(id: string): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(["recordings", "chunks"], "readwrite");
  tx.objectStore("recordings").delete(id);
  tx.objectStore("chunks").delete(IDBKeyRange.bound([id, 0], [id, Number.MAX_SAFE_INTEGER]));
  await done(tx);
}
