/**
 * Shapes on the whiteboard: a line, an arrow, a rectangle or an ellipse dragged from one corner
 * to the other becomes an ordinary stroke through its outline, so every board draws, erases,
 * undoes and stores it like any stroke (no message of its own in the protocol). Pure.
 */

import { ASPECT } from "./strokes";

export type Shape = "line" | "arrow" | "rectangle" | "ellipse";
export const SHAPES: readonly Shape[] = ["line", "arrow", "rectangle", "ellipse"];

// Board points are 0..10000 on each axis of a 16:9 board: geometry is done in units of its
// height (x times ASPECT), so that a circle is round and an arrow's barbs are even on screen.
const ELLIPSE_SEGMENTS = 64;
/** The arrow's head: at most this long (board-height units), and this share of the arrow. */
const HEAD_MAX = 500;
const HEAD_SHARE = 0.3;
const HEAD_ANGLE = Math.PI / 7;

type Point = readonly [number, number];

const round = (v: number) => Math.min(10000, Math.max(0, Math.round(v)));

/**
 * The outline of `shape` dragged from `from` to `to` (board points), as a flat list of points;
 * `square` (Shift held) makes a rectangle a square and an ellipse a circle.
 */
export function shapePoints(shape: Shape, from: Point, to: Point, square = false): number[] {
  // To even units: x scaled by the aspect ratio.
  const [ax, ay] = [from[0] * ASPECT, from[1]];
  let [bx, by] = [to[0] * ASPECT, to[1]];
  if (square && (shape === "rectangle" || shape === "ellipse")) {
    const side = Math.max(Math.abs(bx - ax), Math.abs(by - ay));
    bx = ax + Math.sign(bx - ax || 1) * side;
    by = ay + Math.sign(by - ay || 1) * side;
  }
  const out: number[] = [];
  const put = (x: number, y: number) => out.push(round(x / ASPECT), round(y));
  if (shape === "line") {
    put(ax, ay);
    put(bx, by);
  } else if (shape === "arrow") {
    const length = Math.hypot(bx - ax, by - ay);
    const head = Math.min(HEAD_MAX, length * HEAD_SHARE);
    const angle = Math.atan2(by - ay, bx - ax);
    const barb = (side: number) => [bx - head * Math.cos(angle + side * HEAD_ANGLE), by - head * Math.sin(angle + side * HEAD_ANGLE)] as const;
    // One stroke: the shaft, one barb and back to the tip, the other barb.
    put(ax, ay);
    put(bx, by);
    put(...barb(1));
    put(bx, by);
    put(...barb(-1));
  } else if (shape === "rectangle") {
    for (const [x, y] of [[ax, ay], [bx, ay], [bx, by], [ax, by], [ax, ay]]) put(x, y);
  } else {
    const [cx, cy, rx, ry] = [(ax + bx) / 2, (ay + by) / 2, Math.abs(bx - ax) / 2, Math.abs(by - ay) / 2];
    for (let i = 0; i <= ELLIPSE_SEGMENTS; i++) {
      const t = (2 * Math.PI * i) / ELLIPSE_SEGMENTS;
      put(cx + rx * Math.cos(t), cy + ry * Math.sin(t));
    }
  }
  return out;
}
