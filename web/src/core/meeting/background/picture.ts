/**
 * The picture someone chose to show behind them: read from the file they picked, scaled into
 * 1280×720 and kept in this browser (localStorage, a JPEG data URL) until they forget it. It is
 * never sent: only the frames drawn with it leave, as video.
 */
import { keptSize } from "./geometry";

const KEY = "avmeets:background-picture";
/** The largest file taken (a photo straight from a camera is well under). */
export const MAX_PICTURE_FILE_BYTES = 25 * 1024 * 1024;

/** Why a chosen file cannot be the background, in words for the person. */
export class PictureError extends Error {}

function asDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error("unreadable"));
    reader.readAsDataURL(blob);
  });
}

/** Reads, scales and keeps `file`; returns what keptPicture() will return. */
export async function keepPicture(file: Blob): Promise<string> {
  if (!file.type.startsWith("image/")) throw new PictureError("That file is not a picture.");
  if (file.size > MAX_PICTURE_FILE_BYTES) throw new PictureError("That picture is too large (25 MB at most).");
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new PictureError("That picture could not be read.");
  }
  const size = keptSize(bitmap.width, bitmap.height);
  const canvas = new OffscreenCanvas(size.width, size.height);
  canvas.getContext("2d")?.drawImage(bitmap, 0, 0, size.width, size.height);
  bitmap.close();
  const url = await asDataUrl(await canvas.convertToBlob({ type: "image/jpeg", quality: 0.85 }));
  try {
    localStorage.setItem(KEY, url);
  } catch {
    throw new PictureError("This browser has no room left to keep the picture.");
  }
  return url;
}

export function keptPicture(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function forgetPicture(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    /* storage may be disabled */
  }
}

/** The kept picture, ready to draw. */
export async function pictureBitmap(url: string): Promise<ImageBitmap> {
  const response = await fetch(url);
  return createImageBitmap(await response.blob());
}
