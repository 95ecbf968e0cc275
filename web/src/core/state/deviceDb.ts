/**
 * This browser's own store of what makes safety codes remember (IndexedDB "avmeets-device"):
 * `keys` holds the device's DTLS certificate (an RTCCertificate is structured-cloneable),
 * `contacts` what each person's code was (features/safety/contacts.ts). Nothing here leaves
 * the browser.
 */

const DB_NAME = "avmeets-device";
const DB_VERSION = 1;
export type DeviceStore = "keys" | "contacts";

let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("keys")) db.createObjectStore("keys");
      if (!db.objectStoreNames.contains("contacts")) db.createObjectStore("contacts", { keyPath: "uid" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  }).catch((error: unknown) => {
    opening = null; // a later call may try again (e.g. storage was briefly refused)
    throw error;
  });
  return opening as Promise<IDBDatabase>;
}

function settle<T>(request: IDBRequest<T>, tx: IDBTransaction): Promise<T> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error ?? request.error);
    tx.onabort = () => reject(tx.error ?? request.error);
  });
}

export async function getItem<T>(store: DeviceStore, key: IDBValidKey): Promise<T | undefined> {
  const tx = (await open()).transaction(store, "readonly");
  return settle(tx.objectStore(store).get(key) as IDBRequest<T | undefined>, tx);
}

export async function putItem(store: DeviceStore, value: unknown, key?: IDBValidKey): Promise<void> {
  const tx = (await open()).transaction(store, "readwrite");
  await settle(tx.objectStore(store).put(value, key), tx);
}

export async function deleteItem(store: DeviceStore, key: IDBValidKey): Promise<void> {
  const tx = (await open()).transaction(store, "readwrite");
  await settle(tx.objectStore(store).delete(key), tx);
}
