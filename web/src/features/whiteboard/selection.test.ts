import { describe, expect, it } from "vitest";
import { boxOf, clampMove, COPY_STEP, copyOffset, describeSelection, describeStroke, movePoints, nextSelectable, segmentDistance, strokeAt, strokeBounds, strokesIn, touches } from "./selection";
import type { Stroke } from "./strokes";

const line = (id: string, pts: number[], extra: Partial<Stroke> = {}): Stroke => ({ id, color: "#111111", width: 6, erase: false, pts, ...extra });
/** Every text 1000 points wide and 500 high. */
const measure = () => ({ width: 1000, height: 500 });

describe("selection", () => {
  it("measures a segment's distance, its ends included", () => {
    expect(segmentDistance(5, 3, 0, 0, 10, 0)).toBe(3);
    expect(segmentDistance(-4, 3, 0, 0, 10, 0)).toBe(5);
    expect(segmentDistance(3, 4, 0, 0, 0, 0)).toBe(5);
  });

  it("bounds a line by its thickness and a text by its measured size", () => {
    // Width 6: 60 x points thick, 30 either side (53.3 y points: the board is 16:9).
    const b = strokeBounds(line("s", [1000, 1000, 2000, 1500]), measure);
    expect([b.x0, b.x1]).toEqual([970, 2030]);
    expect(b.y0).toBeCloseTo(1000 - 30 * (16 / 9));
    expect(strokeBounds(line("t", [100, 200], { text: "Plan B" }), measure)).toEqual({ x0: 100, y0: 200, x1: 1100, y1: 700 });
  });

  it("finds the topmost stroke under a point, on its ink, never an eraser's", () => {
    const under = line("under", [1000, 1000, 3000, 1000]);
    const over = line("over", [2000, 500, 2000, 1500]);
    const rubber = line("rubber", [2000, 1000, 2100, 1000], { erase: true, width: 40 });
    const strokes = [under, over, rubber];
    expect(strokeAt(strokes, 2000, 1000, 10, measure)).toBe("over");
    expect(strokeAt(strokes, 1500, 1000, 10, measure)).toBe("under");
    expect(strokeAt(strokes, 1500, 1040, 10, measure)).toBe("under"); // within the line's half width
    expect(strokeAt(strokes, 1500, 1200, 10, measure)).toBeNull();
    // Inside a rectangle's outline is not on it.
    const box = line("box", [1000, 1000, 3000, 1000, 3000, 3000, 1000, 3000, 1000, 1000]);
    expect(strokeAt([box], 2000, 2000, 50, measure)).toBeNull();
    expect(strokeAt([box], 3010, 2000, 50, measure)).toBe("box");
  });

  it("finds a dot and a text anywhere in its box", () => {
    expect(touches(line("d", [500, 500]), 510, 520, 10, measure)).toBe(true);
    const text = line("t", [100, 200], { text: "Plan B" });
    expect(touches(text, 900, 600, 0, measure)).toBe(true);
    expect(touches(text, 1200, 600, 0, measure)).toBe(false);
  });

  it("cuts a move to keep every point on the board, in whole points", () => {
    expect(clampMove([100, 200, 9900, 300], 500, -500.4)).toEqual([100, -200]);
    expect(clampMove([100, 200], Number.NaN, 12.6)).toEqual([0, 13]);
    expect(clampMove([], 5, 5)).toEqual([0, 0]);
    expect(movePoints([1, 2, 3, 4], 10, 20)).toEqual([11, 22, 13, 24]);
  });

  it("goes through the strokes from the topmost down, round again, never an eraser's", () => {
    const strokes = [line("a", [1, 1, 2, 2]), line("rub", [1, 1, 5, 5], { erase: true }), line("b", [3, 3]), line("c", [4, 4, 5, 5])];
    expect(nextSelectable(strokes, null)).toBe("c");
    expect(nextSelectable(strokes, "c")).toBe("b");
    expect(nextSelectable(strokes, "b")).toBe("a");
    expect(nextSelectable(strokes, "a")).toBe("c");
    expect(nextSelectable(strokes, "c", true)).toBe("a");
    expect(nextSelectable(strokes, null, true)).toBe("a");
    expect(nextSelectable(strokes, "gone")).toBe("c");
    expect(nextSelectable([line("rub", [1, 1], { erase: true })], null)).toBeNull();
  });

  it("names a selected stroke in words", () => {
    expect(describeStroke(line("t", [1, 2], { text: "Plan B\nFriday" }))).toBe("the text “Plan B”");
    expect(describeStroke(line("t", [1, 2], { text: "x".repeat(50) }))).toBe(`the text “${"x".repeat(40)}…”`);
    expect(describeStroke(line("d", [1, 2]))).toBe("a dot");
    expect(describeStroke(line("s", [1, 2, 3, 4]))).toBe("a drawing");
  });
});

describe("pasting beside", () => {
  it("puts a copy right and down, or left or up where the board's edge leaves less room", () => {
    expect(copyOffset([1000, 1000, 2000, 2000])).toEqual([COPY_STEP, COPY_STEP]);
    expect(copyOffset([9900, 1000, 9950, 2000])).toEqual([-COPY_STEP, COPY_STEP]); // at the right edge
    expect(copyOffset([1000, 9950, 2000, 9990])).toEqual([COPY_STEP, -COPY_STEP]); // at the foot
    expect(copyOffset([9850, 100, 9950, 200])).toEqual([-COPY_STEP, COPY_STEP]);
    expect(copyOffset([0, 0, 10000, 10000])).toEqual([0, 0]); // the whole board: nowhere else
  });
});

describe("selecting with a box", () => {
  it("takes the strokes whose bounds the box touches, in board order, never an eraser's", () => {
    const left = line("left", [1000, 1000, 2000, 1000]);
    const text = line("text", [2500, 2500], { text: "Plan" }); // to 3500 x 3000
    const far = line("far", [8000, 8000, 9000, 9000]);
    const rubbed = line("rubbed", [1500, 1000, 1600, 1100], { erase: true });
    const all = [left, text, rubbed, far];
    expect(boxOf([3000, 3200], [1800, 900])).toEqual({ x0: 1800, y0: 900, x1: 3000, y1: 3200 });
    expect(strokesIn(all, boxOf([3000, 3200], [1800, 900]), measure)).toEqual(["left", "text"]);
    expect(strokesIn(all, boxOf([3400, 2900], [3300, 2800]), measure)).toEqual(["text"]); // inside it
    expect(strokesIn(all, boxOf([5000, 5000], [6000, 6000]), measure)).toEqual([]);
  });

  it("names one stroke as itself and several by their number", () => {
    expect(describeSelection([line("t", [1, 1], { text: "Plan" })])).toBe("the text “Plan”");
    expect(describeSelection([line("a", [1, 1]), line("b", [1, 1, 2, 2])])).toBe("2 things");
  });
});

