import { describe, expect, it } from "vitest";
import { signal } from "@preact/signals-core";
import { shapePoints } from "./shapes";
import { board, heldBoard, link, stroke } from "./board.testing";
import { boardMessages, clampPoint, cleanPoints, cleanText, MAX_TEXT, MAX_TEXT_LINES } from "./strokes";

describe("Board", () => {
  it("asks the first peer it calls for the board, once", () => {
    const bob = link("bob", "caller");
    const carol = link("carol", "caller");
    const { b } = board(bob, carol);
    b.open(link("dave", "callee"));
    b.open(bob);
    b.open(carol);
    expect(bob.sent).toEqual(['{"t":"sync-request"}']);
    expect(carol.sent).toEqual([]);
  });

  it("builds strokes from messages and their appended points", () => {
    const bob = link("bob");
    const { b, changes, activity } = board(bob);
    b.message(bob, stroke("s1", [0, 0, 100, 100]));
    b.message(bob, stroke("s1", [200, 200, 300], { append: true }));
    expect(b.strokes.get("s1")?.pts).toEqual([0, 0, 100, 100, 200, 200]);
    expect(changes.map((c) => c.kind === "stroke" && c.from)).toEqual([0, 2]);
    expect(activity).toEqual(["BOB is drawing"]);
    // A second copy of the same stroke (a second sync) is not drawn twice.
    b.message(bob, stroke("s1", [5, 5]));
    expect(b.strokes.get("s1")?.pts).toHaveLength(6);
  });

  it("cleans what it receives", () => {
    const bob = link("bob");
    const { b } = board(bob);
    b.message(bob, JSON.stringify({ t: "stroke", id: "s", color: "red; x", width: 9999, pts: [-5, 20000, "x", 7] }));
    expect(b.strokes.get("s")).toEqual({ id: "s", color: "#111111", width: 200, erase: false, pts: [0, 10000, 0, 7] });
    // Not a message of the protocol: ignored, none of it throws in the channel's handler.
    for (const bad of ["not json", "null", "7", "[]"]) b.message(bob, bad);
    b.message(bob, new ArrayBuffer(4));
    expect(b.strokes.size).toBe(1);
  });

  it("clears for everyone and says who did", () => {
    const bob = link("bob");
    const carol = link("carol");
    const { b, activity } = board(bob, carol);
    b.begin("#1a73e8", 6, false, 10, 10);
    b.message(bob, '{"t":"clear"}');
    expect(b.isEmpty).toBe(true);
    expect(activity).toEqual(["BOB cleared the whiteboard"]);
    b.clear();
    expect(carol.sent.at(-1)).toBe('{"t":"clear"}');
  });

  it("sends a local stroke as it is drawn and the whole board on request", () => {
    const bob = link("bob");
    const { b } = board(bob);
    const s = b.begin("#1a73e8", 6, false, 10.4, 20.6)!;
    b.extend(s, [30, 40]);
    expect(bob.sent.map((m) => JSON.parse(m).pts)).toEqual([[10, 21], [30, 40]]);
    bob.sent.length = 0;
    b.message(bob, '{"t":"sync-request"}');
    expect(bob.sent.map((m) => JSON.parse(m))).toEqual([{ t: "stroke", id: s.id, color: "#1a73e8", width: 6, erase: false, pts: [10, 21, 30, 40], append: false }]);
  });
});

describe("Board shapes", () => {
  it("sends a shape whole, in one message, undone like any stroke", () => {
    const bob = link("bob");
    const { b } = board(bob);
    const pts = shapePoints("rectangle", [1000, 1000], [3000, 4000]);
    const s = b.shape("#d93025", 6, pts)!;
    expect(bob.sent.map((m) => JSON.parse(m))).toEqual([{ t: "stroke", id: s.id, color: "#d93025", width: 6, erase: false, pts }]);
    expect(b.strokes.get(s.id)?.pts).toEqual(pts);
    b.undo();
    expect(b.isEmpty).toBe(true);
  });

  it("draws no shape while drawing is off, nor one past a message's points", () => {
    const bob = link("bob");
    const { b } = heldBoard({ draws: () => true, drawingOff: signal(true) }, bob);
    expect(b.shape("#111111", 6, [0, 0, 10, 10])).toBeNull();
    const open = board(bob).b;
    expect(open.shape("#111111", 6, new Array<number>(2002).fill(5))).toBeNull();
    expect(open.shape("#111111", 6, [])).toBeNull();
    expect(bob.sent).toEqual([]);
  });
});

describe("board helpers", () => {
  it("writes a line of text: one message, synced, undone like any stroke", () => {
    const bob = link("bob");
    const { b } = board(bob);
    const mine = b.text("#1a73e8", 6, 1000, 2000, "  Plan B  ");
    expect(mine?.text).toBe("Plan B");
    expect(bob.sent.map((m) => JSON.parse(m))).toEqual([{ t: "stroke", id: mine?.id, color: "#1a73e8", width: 6, erase: false, pts: [1000, 2000], text: "Plan B" }]);
    expect(b.text("#111111", 6, 0, 0, " \u0007 ")).toBeNull(); // nothing to write
    const carol = link("carol");
    b.message(carol, '{"t":"sync-request"}');
    expect(JSON.parse(carol.sent[0]).text).toBe("Plan B");
    b.undo();
    expect(b.strokes.size).toBe(0);
    b.redo();
    expect([...b.strokes.values()][0].text).toBe("Plan B");
  });

  it("takes a text only at one point, and nothing appended to it", () => {
    const bob = link("bob");
    const { b } = board(bob);
    b.message(bob, stroke("t1", [10, 20], { text: "x".repeat(MAX_TEXT + 50) }));
    expect(b.strokes.get("t1")?.text).toHaveLength(MAX_TEXT);
    b.message(bob, stroke("t1", [30, 40], { append: true }));
    expect(b.strokes.get("t1")?.pts).toEqual([10, 20]);
    b.message(bob, stroke("t2", [10, 20, 30, 40], { text: "two points" }));
    b.message(bob, stroke("t3", [10, 20], { text: "  " }));
    b.message(bob, stroke("t4", [10, 20], { text: 5 }));
    b.message(bob, stroke("t5", [10, 20], { text: "rubbed out", erase: true }));
    expect([...b.strokes.keys()]).toEqual(["t1"]);
    expect([cleanText("a\u0007b\tc"), cleanText(null), cleanText("")]).toEqual(["a b c", null, null]);
  });

  it("keeps a text's lines, at most MAX_TEXT_LINES, any line break made one", () => {
    expect(cleanText("  Plan B \r\n\r\n  - Friday\u2028- Monday  \n\n")).toBe("Plan B\n\n  - Friday\n- Monday");
    const many = Array.from({ length: MAX_TEXT_LINES + 3 }, (_, i) => `line ${i}`).join("\n");
    expect(cleanText(many)?.split("\n")).toHaveLength(MAX_TEXT_LINES);
    expect(cleanText("\n \n\t\n")).toBeNull();
    const bob = link("bob");
    const { b } = board(bob);
    b.message(bob, stroke("t1", [10, 20], { text: "Agenda\r\nDemo" }));
    expect(b.strokes.get("t1")?.text).toBe("Agenda\nDemo");
  });

  it("slices long strokes for a sync", () => {
    const pts = Array.from({ length: 4500 }, (_, i) => i % 10000);
    const messages = boardMessages([{ id: "s", color: "#111111", width: 3, erase: false, pts }]).map((m) => JSON.parse(m));
    expect(messages.map((m) => [m.pts.length, m.append])).toEqual([[2000, false], [2000, true], [500, true]]);
  });

  it("clamps points to the grid and keeps whole pairs", () => {
    expect(clampPoint(10000.4)).toBe(10000);
    expect(clampPoint(Number.NaN)).toBe(0);
    expect(cleanPoints([1, 2, 3])).toEqual([1, 2]);
  });
});

describe("undo and redo", () => {
  it("takes our last stroke off for everyone, and puts it back", () => {
    const bob = link("bob");
    const { b, changes } = board(bob);
    const first = b.begin("#111111", 6, false, 10, 10)!;
    const second = b.begin("#111111", 6, false, 20, 20)!;
    expect([b.canUndo, b.canRedo]).toEqual([true, false]);
    b.undo();
    expect([...b.strokes.keys()]).toEqual([first.id]);
    expect(JSON.parse(bob.sent.at(-1)!)).toEqual({ t: "remove", id: second.id });
    expect(changes.at(-1)).toEqual({ kind: "reset" });
    expect(b.canRedo).toBe(true);
    b.redo();
    expect([...b.strokes.keys()]).toEqual([first.id, second.id]);
    expect(JSON.parse(bob.sent.at(-1)!)).toMatchObject({ t: "stroke", id: second.id, pts: [20, 20], append: false });
    expect(b.canRedo).toBe(false);
  });

  it("takes our eraser's stroke off too, and puts it back", () => {
    const bob = link("bob");
    const { b } = board(bob);
    b.message(bob, stroke("s1", [10, 10, 20, 20]));
    const rub = b.begin("#111111", 18, true, 15, 15)!;
    expect(b.canUndo).toBe(true);
    b.undo();
    expect(JSON.parse(bob.sent.at(-1)!)).toEqual({ t: "remove", id: rub.id });
    expect([...b.strokes.keys()]).toEqual(["s1"]);
    b.redo();
    expect(b.strokes.get(rub.id)?.erase).toBe(true);
  });

  it("skips strokes someone cleared, and a new stroke ends redo", () => {
    const alice = link("alice");
    const { b } = board(alice);
    b.begin("#111111", 6, false, 10, 10);
    b.message(alice, JSON.stringify({ t: "clear" }));
    expect(b.canUndo).toBe(false);
    b.undo(); // nothing of ours is left: nothing is sent
    expect(alice.sent.some((m) => JSON.parse(m).t === "remove")).toBe(false);
    b.begin("#111111", 6, false, 30, 30);
    b.undo();
    b.begin("#111111", 6, false, 40, 40);
    expect(b.canRedo).toBe(false);
  });

  it("takes a stroke off when a peer undoes it", () => {
    const alice = link("alice");
    const { b, changes } = board(alice);
    b.message(alice, stroke("s1", [1, 2, 3, 4]));
    b.message(alice, JSON.stringify({ t: "remove", id: "s1" }));
    expect(b.strokes.size).toBe(0);
    expect(changes.at(-1)).toEqual({ kind: "reset" });
    b.message(alice, JSON.stringify({ t: "remove", id: "unknown" })); // nothing to take off
    expect(changes.at(-1)).toEqual({ kind: "reset" });
    expect(changes.length).toBe(2);
  });
});

describe("redo keeps the drawing order", () => {
  it("puts our stroke back under what was drawn after it, and tells the others where", () => {
    const bob = link("bob");
    const { b, changes } = board(bob);
    const mine = b.begin("#111111", 6, false, 10, 10)!;
    b.message(bob, stroke("eraser", [10, 10, 12, 12], { erase: true }));
    b.undo();
    b.redo();
    expect([...b.strokes.keys()]).toEqual([mine.id, "eraser"]); // still erased where bob erased
    expect(JSON.parse(bob.sent.at(-1)!)).toMatchObject({ t: "stroke", id: mine.id, below: "eraser", append: false });
    expect(changes.at(-1)).toEqual({ kind: "reset" });
  });

  it("places a redone stroke it receives under the one named, or on top when that is gone", () => {
    const bob = link("bob");
    const { b } = board(bob);
    b.message(bob, stroke("a", [1, 1]));
    b.message(bob, stroke("c", [3, 3]));
    b.message(bob, stroke("b", [2, 2], { below: "c" }));
    b.message(bob, stroke("d", [4, 4], { below: "gone" }));
    expect([...b.strokes.keys()]).toEqual(["a", "b", "c", "d"]);
  });
});

describe("drawing turned off by a host", () => {
  it("takes nothing of the board from someone for whom it is off, nor asks them for it", () => {
    const bob = link("bob", "caller");
    const carol = link("carol", "caller");
    const { b, changes, activity } = heldBoard({ draws: (uid) => uid !== "bob", drawingOff: signal(false) }, bob, carol);
    b.message(carol, stroke("c1", [0, 0, 10, 10]));
    b.message(bob, stroke("b1", [5, 5, 6, 6]));
    b.message(bob, JSON.stringify({ t: "remove", id: "c1" }));
    b.message(bob, '{"t":"clear"}');
    b.message(bob, JSON.stringify({ t: "move", id: "c1", dx: 100, dy: 100 }));
    b.message(carol, stroke("c2", [10, 10], { text: "Agenda" }));
    b.message(bob, JSON.stringify({ t: "edit", id: "c2", text: "Bob was here" }));
    expect([...b.strokes.keys()]).toEqual(["c1", "c2"]);
    expect(b.strokes.get("c1")?.pts).toEqual([0, 0, 10, 10]);
    expect(b.strokes.get("c2")?.text).toBe("Agenda");
    expect(changes).toHaveLength(2); // Carol's two strokes
    expect(activity).toEqual(["CAROL is drawing", "CAROL is drawing"]);
    b.open(bob); // the first to open, but held: a sync answer is strokes like any other
    b.open(carol);
    expect(bob.sent).toEqual([]);
    expect(carol.sent).toEqual(['{"t":"sync-request"}']);
    b.message(bob, '{"t":"sync-request"}'); // we still answer them: they see the board
    expect(bob.sent.map((m) => JSON.parse(m).id)).toEqual(["c1", "c2"]);
  });

  it("draws, undoes, redoes and clears nothing of ours while it is off for us", () => {
    const bob = link("bob");
    const drawingOff = signal(false);
    const { b } = heldBoard({ draws: () => true, drawingOff }, bob);
    const mine = b.begin("#111111", 6, false, 10, 10)!;
    drawingOff.value = true;
    expect(b.begin("#111111", 6, false, 20, 20)).toBeNull();
    b.extend(mine, [30, 30]);
    b.undo();
    b.clear();
    expect([b.canUndo, b.canRedo]).toEqual([false, false]);
    expect([...b.strokes.values()].map((s) => s.pts)).toEqual([[10, 10]]);
    expect(bob.sent).toHaveLength(1); // the first stroke, drawn before
    drawingOff.value = false;
    expect(b.canUndo).toBe(true);
  });
});
