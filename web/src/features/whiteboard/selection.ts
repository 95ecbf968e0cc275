/**
 * Selecting on the whiteboard: what lies under a point, a stroke's bounds, and how far a stroke
 * may move (docs/protocol.md section 6, `move`). Board points are 0..10000 on each axis of a 16:9
 * board; distances are measured in board-height units (x times 16/9), so that a tolerance is the
 * same both ways on screen. An eraser's stroke is never selected: it is no thing of its own, only
 * where ink was rubbed out. Pure.
 */
import { ASPECT, type Stroke } from "./strokes";

/** A box in board points. */
export interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A text's size in board points, from its font (the caller has the canvas). */
export type MeasureText = (stroke: Stroke) => { width: number; height: number };

/** Half a stroke's line, in board points along x and along y (its `width` is thousandths of
 * the board's width, that is ten x points each). */
function halfLine(stroke: Stroke): [number, number] {
  const hx = stroke.width * 5;
  return [hx, hx * ASPECT];
}

/** The box a stroke covers, its line's thickness or its text's lines included. */
export function strokeBounds(stroke: Stroke, measure: MeasureText): Bounds {
  const pts = stroke.pts;
  if (stroke.text) {
    const { width, height } = measure(stroke);
    return { x0: pts[0], y0: pts[1], x1: pts[0] + width, y1: pts[1] + height };
  }
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i + 1 < pts.length; i += 2) {
    x0 = Math.min(x0, pts[i]);
    x1 = Math.max(x1, pts[i]);
    y0 = Math.min(y0, pts[i + 1]);
    y1 = Math.max(y1, pts[i + 1]);
  }
  const [hx, hy] = halfLine(stroke);
  return { x0: x0 - hx, y0: y0 - hy, x1: x1 + hx, y1: y1 + hy };
}

/** The distance from (px, py) to the segment (ax, ay)-(bx, by), all in the same units. */
export function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const [dx, dy] = [bx - ax, by - ay];
  const length2 = dx * dx + dy * dy;
  const t = length2 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length2)) : 0;
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Whether the point (x, y) is on `stroke`, within `slack` board-height units of its ink. */
export function touches(stroke: Stroke, x: number, y: number, slack: number, measure: MeasureText): boolean {
  if (stroke.erase || stroke.pts.length < 2) return false;
  if (stroke.text) {
    const b = strokeBounds(stroke, measure);
    const sx = slack / ASPECT;
    return x >= b.x0 - sx && x <= b.x1 + sx && y >= b.y0 - slack && y <= b.y1 + slack;
  }
  const reach = halfLine(stroke)[1] + slack;
  const pts = stroke.pts;
  const [px, py] = [x * ASPECT, y];
  if (pts.length < 4) return Math.hypot(px - pts[0] * ASPECT, py - pts[1]) <= reach;
  for (let i = 2; i + 1 < pts.length; i += 2) {
    if (segmentDistance(px, py, pts[i - 2] * ASPECT, pts[i - 1], pts[i] * ASPECT, pts[i + 1]) <= reach) return true;
  }
  return false;
}

/** The id of the topmost stroke at (x, y) (the last drawn wins), or null. */
export function strokeAt(strokes: Iterable<Stroke>, x: number, y: number, slack: number, measure: MeasureText): string | null {
  const all = [...strokes];
  for (let i = all.length - 1; i >= 0; i--) if (touches(all[i], x, y, slack, measure)) return all[i].id;
  return null;
}

/** The stroke to select next from the keyboard: from the topmost down, after `current` (null:
 * the topmost), or up with `backwards`, round again at either end; null when none can be. */
export function nextSelectable(strokes: Iterable<Stroke>, current: string | null, backwards = false): string | null {
  const ids = [...strokes].filter((s) => !s.erase && s.pts.length >= 2).map((s) => s.id).reverse();
  if (!ids.length) return null;
  const at = current === null ? -1 : ids.indexOf(current);
  if (at < 0) return backwards ? ids[ids.length - 1] : ids[0];
  return ids[(at + (backwards ? ids.length - 1 : 1)) % ids.length];
}

/** (dx, dy) made whole and cut so that every point of `pts` stays on the board. */
export function clampMove(pts: readonly number[], dx: number, dy: number): [number, number] {
  let [x0, y0, x1, y1] = [10000, 10000, 0, 0];
  for (let i = 0; i + 1 < pts.length; i += 2) {
    x0 = Math.min(x0, pts[i]);
    x1 = Math.max(x1, pts[i]);
    y0 = Math.min(y0, pts[i + 1]);
    y1 = Math.max(y1, pts[i + 1]);
  }
  const cut = (d: number, low: number, high: number) => Math.round(Math.min(10000 - high, Math.max(-low, Number.isFinite(d) ? d : 0)));
  return pts.length < 2 ? [0, 0] : [cut(dx, x0, x1) || 0, cut(dy, y0, y1) || 0];
}

/** `pts` moved by (dx, dy) (already clamped). */
export function movePoints(pts: readonly number[], dx: number, dy: number): number[] {
  return pts.map((v, i) => v + (i % 2 ? dy : dx));
}

/** How a stroke is named to someone who cannot see it (the canvas's label while it is selected). */
export function describeStroke(stroke: Stroke): string {
  if (stroke.text) {
    const first = stroke.text.split("\n")[0];
    return `the text “${first.length > 40 ? `${first.slice(0, 40)}…` : first}”`;
  }
  return stroke.pts.length <= 2 ? "a dot" : "a drawing";
}

/** The box with corners `a` and `b`, in board points. */
export function boxOf(a: readonly [number, number], b: readonly [number, number]): Bounds {
  return { x0: Math.min(a[0], b[0]), y0: Math.min(a[1], b[1]), x1: Math.max(a[0], b[0]), y1: Math.max(a[1], b[1]) };
}

/** The ids of the strokes a box dragged out touches (their bounds meet it), in board order;
 * never an eraser's. */
export function strokesIn(strokes: Iterable<Stroke>, box: Bounds, measure: MeasureText): string[] {
  const ids: string[] = [];
  for (const stroke of strokes) {
    if (stroke.erase || stroke.pts.length < 2) continue;
    const b = strokeBounds(stroke, measure);
    if (b.x0 <= box.x1 && b.x1 >= box.x0 && b.y0 <= box.y1 && b.y1 >= box.y0) ids.push(stroke.id);
  }
  return ids;
}

/** How what is selected is named to someone who cannot see it: one stroke as describeStroke,
 * several by their number. */
export function describeSelection(strokes: readonly Stroke[]): string {
  return strokes.length === 1 ? describeStroke(strokes[0]) : `${strokes.length} things`;
}

/** How far a pasted copy lies from what was copied, in board points along each axis. */
export const COPY_STEP = 200;

/** Where a copy of `pts` goes: COPY_STEP right and down, or left or up where the board's edge
 * leaves less room that way than the other, so that the copy never lands on its original. */
export function copyOffset(pts: readonly number[]): [number, number] {
  const [fx, fy] = clampMove(pts, COPY_STEP, COPY_STEP);
  const [bx, by] = clampMove(pts, -COPY_STEP, -COPY_STEP);
  return [fx >= -bx ? fx : bx, fy >= -by ? fy : by];
}
