/**
 * Recordings kept in this browser's IndexedDB, never uploaded. A recording is a metadata record
 * plus numbered chunks written while MediaRecorder runs (so a crash loses a second at most).
 */
import { clear, formatBytes, formatDuration, h, icon, toast } from "../ui/dom";

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

function fileName(meta: RecordingMeta): string {
  const date = new Date(meta.startedAt).toISOString().slice(0, 19).replace(/[:T]/g, "-");
  const ext = meta.mime.includes("mp4") ? "mp4" : "webm";
  return `avmeets-${meta.meetingId}-${date}.${ext}`;
}

/** The list with play, download and delete; re-renders itself after a deletion. */
export function renderRecordingList(container: HTMLElement): void {
  const urls: string[] = [];
  const player = h("div", { class: "recording-player" });
  const list = h("ul", { class: "recording-list", "aria-label": "Recordings in this browser" });
  clear(container);
  container.append(player, list);

  const revoke = () => {
    for (const url of urls.splice(0)) URL.revokeObjectURL(url);
  };

  async function refresh(): Promise<void> {
    clear(list);
    let items: RecordingMeta[];
    try {
      items = await listRecordings();
    } catch {
      list.appendChild(h("li", { class: "muted" }, "This browser does not allow local storage for recordings."));
      return;
    }
    if (!items.length) {
      list.appendChild(h("li", { class: "muted" }, "No recordings yet. Use the record button in a meeting."));
      return;
    }
    for (const meta of items) {
      const label = `${meta.title || meta.meetingId} — ${new Date(meta.startedAt).toLocaleString()}`;
      const play = h("button", { class: "btn btn-ghost btn-small", type: "button", "aria-label": `Play ${label}` }, icon("play"), "Play");
      const download = h("button", { class: "btn btn-ghost btn-small", type: "button", "aria-label": `Download ${label}` }, icon("download"), "Download");
      const remove = h("button", { class: "btn btn-ghost btn-small danger", type: "button", "aria-label": `Delete ${label}` }, icon("trash"), "Delete");
      play.addEventListener("click", async () => {
        revoke();
        const url = URL.createObjectURL(await recordingBlob(meta));
        urls.push(url);
        clear(player);
        const video = h("video", { controls: true, src: url, class: "recording-video", "aria-label": `Recording ${label}` });
        player.appendChild(video);
        void video.play().catch(() => undefined);
      });
      download.addEventListener("click", async () => {
        const url = URL.createObjectURL(await recordingBlob(meta));
        const a = h("a", { href: url, download: fileName(meta) });
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      });
      remove.addEventListener("click", async () => {
        if (!confirm(`Delete the recording "${label}" from this browser?`)) return;
        await deleteRecording(meta.id);
        revoke();
        clear(player);
        toast("Recording deleted");
        void refresh();
      });
      list.appendChild(
        h(
          "li",
          { class: "recording-row", dataset: { recordingId: meta.id, size: String(meta.size) } },
          h(
            "div",
            { class: "recording-info" },
            h("span", { class: "recording-title" }, meta.title || meta.meetingId),
            h(
              "span",
              { class: "muted small" },
              `${new Date(meta.startedAt).toLocaleString()} · ${formatDuration(meta.durationMs)} · ${formatBytes(meta.size)}${meta.complete ? "" : " · incomplete"}`,
            ),
          ),
          h("div", { class: "row" }, play, download, remove),
        ),
      );
    }
  }
  void refresh();
}
