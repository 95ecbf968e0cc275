/**
 * The whiteboard's strokes as plain data: a stroke, what a received one is cleaned to, the
 * messages that carry a whole board, and the drawing order's small operations. Pure.
 */

export interface Stroke {
  id: string;
  color: string;
  /** Line width in thousandths of the board's width. */
  width: number;
  erase: boolean;
  pts: number[];
  /** A text: its lines ("\n") written from the stroke's one point (its top left), `width` sizing it. */
  text?: string;
}

/** The board's aspect ratio (16:9): points are 0..10000 on each axis, so an x point is 16/9 of
 * a y point on screen. */
export const ASPECT = 16 / 9;

/** The most numbers of points in one stroke message (a longer stroke goes in slices). */
export const MAX_POINTS_PER_MESSAGE = 2000;
const MAX_POINTS_RECEIVED = 200_000;
const COLOR = /^#[0-9a-f]{6}$/i;
const DEFAULT_COLOR = "#111111";
/** The longest text on the board, in UTF-16 units (its line breaks included), and its most lines. */
export const MAX_TEXT = 200;
export const MAX_TEXT_LINES = 10;

/** A coordinate on the 0..10000 grid. */
export function clampPoint(v: unknown): number {
  const n = Math.round(Number(v));
  return Number.isFinite(n) ? Math.min(10000, Math.max(0, n)) : 0;
}

/** Line width in thousandths of the board's width, 1..200. */
export function clampWidth(v: unknown, fallback: number): number {
  return Math.max(1, Math.min(200, Math.round(Number(v) || fallback)));
}

export function cleanColor(v: unknown): string {
  return typeof v === "string" && COLOR.test(v) ? v : DEFAULT_COLOR;
}

/** A received list of points: clamped, at most MAX_POINTS_RECEIVED numbers, in whole pairs. */
export function cleanPoints(pts: readonly unknown[]): number[] {
  const clean = pts.slice(0, MAX_POINTS_RECEIVED).map(clampPoint);
  if (clean.length % 2) clean.pop();
  return clean;
}

/** A received or typed text: at most MAX_TEXT_LINES lines (any line break made "\n", other
 * controls a space, the blank lines and spaces around it and each line's trailing spaces out),
 * at most MAX_TEXT long; null when nothing is left. */
export function cleanText(v: unknown): string | null {
  if (typeof v !== "string") return null;
  const lines = v
    .replace(/\r\n?|[\u0085\u2028\u2029]/g, "\n")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]+/g, " ")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .trim()
    .split("\n");
  const text = lines.slice(0, MAX_TEXT_LINES).join("\n").slice(0, MAX_TEXT).trim();
  return text || null;
}

/** A new stroke's id: unique enough among one board's strokes (time, then randomness). */
export function strokeId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** The messages that send a whole board to a newcomer: each stroke, in slices of points. */
export function boardMessages(strokes: Iterable<Stroke>): string[] {
  const out: string[] = [];
  for (const stroke of strokes) {
    for (let i = 0; i < stroke.pts.length; i += MAX_POINTS_PER_MESSAGE) {
      out.push(
        JSON.stringify({
          t: "stroke",
          id: stroke.id,
          color: stroke.color,
          width: stroke.width,
          erase: stroke.erase,
          pts: stroke.pts.slice(i, i + MAX_POINTS_PER_MESSAGE),
          append: i > 0,
          ...(stroke.text ? { text: stroke.text } : {}),
        }),
      );
    }
  }
  return out;
}

/** The id of the stroke drawn right after `id` (the one it lies under), or null. */
export function strokeAfter(strokes: ReadonlyMap<string, Stroke>, id: string): string | null {
  const ids = [...strokes.keys()];
  const at = ids.indexOf(id);
  return at >= 0 && at + 1 < ids.length ? ids[at + 1] : null;
}

/** `stroke` into `strokes` just before `below` (drawing order is the map's order). */
export function insertBefore(strokes: Map<string, Stroke>, stroke: Stroke, below: string): void {
  const entries = [...strokes.values()];
  strokes.clear();
  for (const each of entries) {
    if (each.id === below) strokes.set(stroke.id, stroke);
    if (each.id !== stroke.id) strokes.set(each.id, each);
  }
}
