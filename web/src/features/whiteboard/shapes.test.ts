import { describe, expect, it } from "vitest";
import { shapePoints } from "./shapes";

/** Pairs of a flat point list. */
const pairs = (pts: number[]) => Array.from({ length: pts.length / 2 }, (_, i) => [pts[2 * i], pts[2 * i + 1]]);

describe("shapePoints", () => {
  it("draws a line between the two corners and a rectangle round them, closed", () => {
    expect(shapePoints("line", [100, 200], [900, 800])).toEqual([100, 200, 900, 800]);
    expect(pairs(shapePoints("rectangle", [100, 200], [900, 800]))).toEqual([
      [100, 200], [900, 200], [900, 800], [100, 800], [100, 200],
    ]);
  });

  it("heads an arrow at its end with two even barbs, in one stroke", () => {
    const [start, tip, barb1, tip2, barb2] = pairs(shapePoints("arrow", [1000, 5000], [5000, 5000]));
    expect([start, tip, tip2]).toEqual([[1000, 5000], [5000, 5000], [5000, 5000]]);
    // A level arrow: the barbs behind the tip, one above and one below, mirror images.
    expect(barb1[0]).toBeLessThan(5000);
    expect(barb1[0]).toBe(barb2[0]);
    expect(barb1[1] - 5000).toBe(5000 - barb2[1]);
    expect(barb1[1]).not.toBe(5000);
  });

  it("fits an ellipse in the box, and Shift makes it a circle on screen", () => {
    const ellipse = pairs(shapePoints("ellipse", [1000, 1000], [5000, 3000]));
    expect(ellipse[0]).toEqual(ellipse.at(-1)); // closed
    const xs = ellipse.map(([x]) => x);
    const ys = ellipse.map(([, y]) => y);
    expect([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]).toEqual([1000, 5000, 1000, 3000]);
    // A circle is as wide as it is high on a 16:9 board: its x span is 9/16 of its y span.
    const circle = pairs(shapePoints("ellipse", [1000, 1000], [5000, 3000], true));
    const width = Math.max(...circle.map(([x]) => x)) - Math.min(...circle.map(([x]) => x));
    const height = Math.max(...circle.map(([, y]) => y)) - Math.min(...circle.map(([, y]) => y));
    expect(Math.abs(width * (16 / 9) - height)).toBeLessThanOrEqual(2);
  });

  it("keeps every point on the board", () => {
    for (const pt of shapePoints("rectangle", [9000, 9000], [9999, 9999], true)) {
      expect(pt).toBeGreaterThanOrEqual(0);
      expect(pt).toBeLessThanOrEqual(10000);
    }
  });
});
