/**
 * The "files" channel's framing (web/README.md): a JSON header, binary chunks of CHUNK_SIZE, a
 * JSON trailer or cancel. Pure helpers: chunk ranges, the header a receiver accepts, file names.
 */
import { parseJsonObject } from "../../core/meeting/channelJson";

export const CHUNK_SIZE = 64 * 1024;

/** [start, end) of each chunk of a file of `size` bytes. */
export function* chunkRanges(size: number, chunkSize = CHUNK_SIZE): Generator<[number, number]> {
  for (let offset = 0; offset < size; offset += chunkSize) yield [offset, Math.min(size, offset + chunkSize)];
}

/** A file name safe to offer for download: no path separators or control characters. */
export function cleanName(name: unknown): string {
  const text = String(name ?? "file")
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\\/:*?"<>|\u0000-\u001f]/g, "_")
    .trim()
    .slice(0, 200);
  return text || "file";
}

export interface FileHeader {
  fid: string;
  name: string;
  size: number;
  mime: string;
  private: boolean;
}

/** The header of an incoming file, cleaned ({"t":"file","fid","name","size","mime","scope"}). */
export function parseFileHeader(message: Record<string, unknown>, fallbackId: () => string): FileHeader {
  return {
    fid: String(message.fid ?? fallbackId()),
    name: cleanName(message.name),
    size: Math.max(0, Number(message.size) || 0),
    mime: typeof message.mime === "string" ? message.mime.slice(0, 200) : "application/octet-stream",
    private: message.scope === "private",
  };
}

export type FileMessage =
  | { t: "file"; message: Record<string, unknown> }
  | { t: "file-end"; fid: string }
  | { t: "file-cancel"; fid: string }
  | null;

/** A text message on the files channel; null when it is none of the three. */
export function parseFileMessage(text: string): FileMessage {
  const message = parseJsonObject(text);
  if (!message) return null;
  if (message.t === "file") return { t: "file", message };
  if (message.t === "file-end") return { t: "file-end", fid: String(message.fid) };
  if (message.t === "file-cancel") return { t: "file-cancel", fid: String(message.fid) };
  return null;
}

/** The bytes a sender may claim as sent: what left its buffer. */
export function bytesSent(offset: number, buffered: number): number {
  return Math.max(0, offset - buffered);
}
