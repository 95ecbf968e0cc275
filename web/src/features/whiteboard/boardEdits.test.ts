import { describe, expect, it } from "vitest";
import { signal } from "@preact/signals-core";
import { board, heldBoard, link, stroke } from "./board.testing";

/** The last message sent on a connection. */
const sent = (l: ReturnType<typeof link>) => JSON.parse(l.sent.at(-1)!);

describe("moving", () => {
  it("moves anyone's stroke for everyone, to the top, cut to the board, and undoes the move", () => {
    const bob = link("bob");
    const { b, changes } = board(bob);
    b.message(bob, stroke("s1", [100, 200, 300, 400]));
    const mine = b.begin("#111111", 6, false, 5000, 5000)!;
    b.move("s1", -500, 50);
    expect(sent(bob)).toEqual({ t: "move", id: "s1", dx: -100, dy: 50 }); // no point off the board
    expect([...b.strokes.keys()]).toEqual([mine.id, "s1"]);
    expect(b.strokes.get("s1")?.pts).toEqual([0, 250, 200, 450]);
    expect(changes.at(-1)).toEqual({ kind: "reset" });
    b.undo();
    expect(sent(bob)).toEqual({ t: "move", id: "s1", dx: 100, dy: -50 });
    expect(b.strokes.get("s1")?.pts).toEqual([100, 200, 300, 400]);
    b.redo();
    expect(b.strokes.get("s1")?.pts).toEqual([0, 250, 200, 450]);
    // A move that cannot go further sends nothing and is no step.
    const before = bob.sent.length;
    b.move("s1", -20, 0);
    expect(bob.sent).toHaveLength(before);
    b.undo(); // the redone move
    b.undo(); // our own stroke
    expect([...b.strokes.keys()]).toEqual(["s1"]);
    expect(b.canUndo).toBe(false);
  });

  it("goes on drawing a stroke someone moved meanwhile, on the board as it is", () => {
    const bob = link("bob");
    const { b } = board(bob);
    const drawing = b.begin("#111111", 6, false, 100, 100)!;
    b.message(bob, JSON.stringify({ t: "move", id: drawing.id, dx: 50, dy: 0 }));
    b.extend(drawing, [200, 200]);
    expect(b.strokes.get(drawing.id)?.pts).toEqual([150, 100, 200, 200]);
  });

  it("undoes a run of nudges of one stroke together, and each drag alone", () => {
    const bob = link("bob");
    const { b } = board(bob);
    const s = b.begin("#111111", 6, false, 1000, 1000)!;
    b.move(s.id, 50, 0, true);
    b.move(s.id, 50, 0, true);
    b.move(s.id, 0, 50, true);
    b.move(s.id, 400, 0);
    b.undo();
    expect(b.strokes.get(s.id)?.pts).toEqual([1100, 1050]);
    b.undo();
    expect(b.strokes.get(s.id)?.pts).toEqual([1000, 1000]);
    expect(bob.sent.map((m) => JSON.parse(m).t)).toEqual(["stroke", "move", "move", "move", "move", "move", "move"]);
  });

  it("applies a peer's move, cut to the board, and ignores one of an eraser or of nothing", () => {
    const bob = link("bob");
    const { b, activity } = board(bob);
    b.message(bob, stroke("s1", [9000, 9000, 9500, 9600]));
    b.message(bob, stroke("e1", [10, 10, 20, 20], { erase: true }));
    b.message(bob, JSON.stringify({ t: "move", id: "s1", dx: 1e9, dy: "-100" }));
    expect(b.strokes.get("s1")?.pts).toEqual([9500, 9000, 10000, 9600]);
    expect([...b.strokes.keys()]).toEqual(["e1", "s1"]); // on top of the eraser drawn after it
    b.message(bob, JSON.stringify({ t: "move", id: "e1", dx: 100, dy: 100 }));
    b.message(bob, JSON.stringify({ t: "move", id: "gone", dx: 100, dy: 100 }));
    b.message(bob, JSON.stringify({ t: "move", id: 7, dx: 100, dy: 100 }));
    expect(b.strokes.get("e1")?.pts).toEqual([10, 10, 20, 20]);
    expect(activity).toEqual(["BOB is drawing", "BOB is drawing", "BOB is drawing"]);
  });

});

describe("editing, restyling and deleting", () => {
  it("edits a text for everyone, undoes the edit, and an emptied text is deleted", () => {
    const bob = link("bob");
    const { b } = board(bob);
    const text = b.text("#111111", 6, 100, 100, "Plan B")!;
    b.edit(text.id, "  Plan C\r\nFriday ");
    expect(sent(bob)).toEqual({ t: "edit", id: text.id, text: "Plan C\nFriday" });
    expect(b.strokes.get(text.id)).toMatchObject({ text: "Plan C\nFriday", pts: [100, 100] });
    b.undo();
    expect(sent(bob)).toEqual({ t: "edit", id: text.id, text: "Plan B" });
    b.edit(text.id, "Plan B"); // the same words: nothing to send, no step
    expect(sent(bob).text).toBe("Plan B");
    b.edit(text.id, " \n ");
    expect(sent(bob)).toEqual({ t: "remove", id: text.id });
    b.undo();
    expect(b.strokes.get(text.id)?.text).toBe("Plan B");
  });

  it("applies a peer's edit of a text only, cleaned", () => {
    const bob = link("bob");
    const { b } = board(bob);
    b.message(bob, stroke("t1", [10, 10], { text: "Agenda" }));
    b.message(bob, stroke("s1", [10, 10, 20, 20]));
    b.message(bob, JSON.stringify({ t: "edit", id: "t1", text: "Agenda\u0007for Monday" }));
    b.message(bob, JSON.stringify({ t: "edit", id: "s1", text: "not a text" }));
    b.message(bob, JSON.stringify({ t: "edit", id: "t1", text: "" }));
    b.message(bob, JSON.stringify({ t: "edit", id: "t1", text: 5 }));
    expect(b.strokes.get("t1")?.text).toBe("Agenda for Monday");
    expect(b.strokes.get("s1")?.text).toBeUndefined();
  });

  it("deletes anyone's stroke for everyone and puts it back where it was on undo", () => {
    const bob = link("bob");
    const { b } = board(bob);
    b.message(bob, stroke("s1", [10, 10, 20, 20]));
    b.message(bob, stroke("s2", [30, 30, 40, 40]));
    b.delete("s1");
    expect(sent(bob)).toEqual({ t: "remove", id: "s1" });
    expect([...b.strokes.keys()]).toEqual(["s2"]);
    b.undo();
    expect(sent(bob)).toMatchObject({ t: "stroke", id: "s1", below: "s2" });
    expect([...b.strokes.keys()]).toEqual(["s1", "s2"]);
    // Someone else takes it off: our redo of the deletion has nothing left to do.
    b.message(bob, JSON.stringify({ t: "remove", id: "s1" }));
    expect(b.canRedo).toBe(false);
  });

  it("restyles anyone's stroke for everyone, in place, and undoes it", () => {
    const bob = link("bob");
    const { b } = board(bob);
    b.message(bob, stroke("s1", [10, 10, 20, 20]));
    b.message(bob, stroke("s2", [30, 30, 40, 40]));
    b.style("s1", "#1a73e8", 14);
    expect(sent(bob)).toEqual({ t: "style", id: "s1", color: "#1a73e8", width: 14 });
    expect([...b.strokes.keys()]).toEqual(["s1", "s2"]); // its place kept
    expect(b.strokes.get("s1")).toMatchObject({ color: "#1a73e8", width: 14, pts: [10, 10, 20, 20] });
    b.undo();
    expect(sent(bob)).toEqual({ t: "style", id: "s1", color: "#d93025", width: 6 });
    const before = bob.sent.length;
    b.style("s1", "#d93025", 6); // as it is: nothing sent, no step
    expect(bob.sent).toHaveLength(before);
    b.redo();
    expect(b.strokes.get("s1")?.color).toBe("#1a73e8");
  });

  it("applies a peer's restyle, cleaned, and none of an eraser", () => {
    const bob = link("bob");
    const { b } = board(bob);
    b.message(bob, stroke("s1", [10, 10, 20, 20]));
    b.message(bob, stroke("e1", [10, 10, 20, 20], { erase: true }));
    b.message(bob, JSON.stringify({ t: "style", id: "s1", color: "red", width: 900 }));
    b.message(bob, JSON.stringify({ t: "style", id: "e1", color: "#1a73e8", width: 3 }));
    expect(b.strokes.get("s1")).toMatchObject({ color: "#111111", width: 200 });
    expect(b.strokes.get("e1")).toMatchObject({ color: "#d93025", width: 6 });
  });

  it("moves, edits, restyles and deletes nothing while drawing is off for us", () => {
    const bob = link("bob");
    const drawingOff = signal(false);
    const { b } = heldBoard({ draws: () => true, drawingOff }, bob);
    const text = b.text("#111111", 6, 100, 100, "Plan B")!;
    drawingOff.value = true;
    b.move(text.id, 100, 100);
    b.edit(text.id, "Plan C");
    b.delete(text.id);
    b.style(text.id, "#d93025", 14);
    expect(b.strokes.get(text.id)).toMatchObject({ text: "Plan B", pts: [100, 100], width: 6 });
    expect(bob.sent).toHaveLength(1);
  });
});

describe("pasting", () => {
  it("pastes a copy of anyone's stroke for everyone, new and on top, and one undo takes it off", () => {
    const bob = link("bob");
    const { b } = board(bob);
    b.message(bob, stroke("s1", [100, 200], { text: "Plan" }));
    const copied = { ...b.strokes.get("s1")! };
    const [pasted] = b.paste([copied], 200, -200);
    expect(pasted.id).not.toBe("s1");
    expect(pasted.pts).toEqual([300, 0]);
    expect(sent(bob)).toEqual({ t: "stroke", id: pasted.id, color: "#d93025", width: 6, erase: false, pts: [300, 0], append: false, text: "Plan" });
    expect([...b.strokes.keys()]).toEqual(["s1", pasted.id]);
    b.undo();
    expect(sent(bob)).toEqual({ t: "remove", id: pasted.id });
    expect([...b.strokes.keys()]).toEqual(["s1"]);
    b.redo();
    expect(b.strokes.get(pasted.id)?.pts).toEqual([300, 0]);
  });

  it("sends a long copy in slices, pastes no eraser's stroke, and nothing while drawing is off", () => {
    const bob = link("bob");
    const { b } = board(bob);
    const long = { id: "s1", color: "#111111", width: 4, erase: false, pts: Array.from({ length: 3000 }, (_, i) => i % 2 ? 500 : i) };
    b.paste([long], 100, 100);
    expect(bob.sent.map((m) => [JSON.parse(m).pts.length, JSON.parse(m).append])).toEqual([[2000, false], [1000, true]]);
    expect(b.paste([{ ...long, erase: true }], 100, 100)).toEqual([]);
    const held = heldBoard({ draws: () => true, drawingOff: signal(true) }, link("carol"));
    expect(held.b.paste([long], 100, 100)).toEqual([]);
    expect(held.b.strokes.size).toBe(0);
  });
});

describe("several strokes at once", () => {
  it("moves them together, cut to the board as one, and one undo moves them all back", () => {
    const bob = link("bob");
    const { b } = board(bob);
    b.message(bob, stroke("s1", [100, 100, 300, 300]));
    b.message(bob, stroke("s2", [5000, 5000]));
    b.message(bob, stroke("s3", [9000, 9000]));
    bob.sent.length = 0;
    b.move(["s2", "s1"], -500, 0); // s1 reaches the edge first: both go 100 only
    expect(b.strokes.get("s1")?.pts).toEqual([0, 100, 200, 300]);
    expect(b.strokes.get("s2")?.pts).toEqual([4900, 5000]);
    expect(bob.sent.map((m) => JSON.parse(m))).toEqual([
      { t: "move", id: "s1", dx: -100, dy: 0 },
      { t: "move", id: "s2", dx: -100, dy: 0 },
    ]);
    expect([...b.strokes.keys()]).toEqual(["s3", "s1", "s2"]); // on top, in their order
    b.undo();
    expect(b.strokes.get("s1")?.pts).toEqual([100, 100, 300, 300]);
    expect(b.strokes.get("s2")?.pts).toEqual([5000, 5000]);
    expect(b.canUndo).toBe(false);
  });

  it("nudges them as one run, and deletes, restyles and pastes them as one step each", () => {
    const bob = link("bob");
    const { b } = board(bob);
    for (const [id, x] of [["s1", 1000], ["s2", 2000], ["s3", 3000]] as const) b.message(bob, stroke(id, [x, 1000]));
    b.move(["s1", "s2"], 50, 0, true);
    b.move(["s1", "s2"], 50, 0, true);
    b.undo();
    expect([b.strokes.get("s1")?.pts, b.strokes.get("s2")?.pts]).toEqual([[1000, 1000], [2000, 1000]]);
    b.style(["s1", "s2"], "#1a73e8", 14);
    expect([b.strokes.get("s1")?.color, b.strokes.get("s2")?.color, b.strokes.get("s3")?.color]).toEqual(["#1a73e8", "#1a73e8", "#d93025"]);
    b.undo();
    expect([b.strokes.get("s1")?.color, b.strokes.get("s2")?.color]).toEqual(["#d93025", "#d93025"]);
    expect([...b.strokes.keys()]).toEqual(["s3", "s1", "s2"]); // the moved ones on top
    b.delete(["s1", "s3"]);
    expect([...b.strokes.keys()]).toEqual(["s2"]);
    b.undo(); // both back, each where it was among the others
    expect([...b.strokes.keys()]).toEqual(["s3", "s1", "s2"]);
    const pasted = b.paste([b.strokes.get("s1")!, b.strokes.get("s2")!], 0, 200);
    expect(pasted.map((s) => s.pts)).toEqual([[1000, 1200], [2000, 1200]]);
    expect(b.strokes.size).toBe(5);
    b.undo();
    expect([...b.strokes.keys()]).toEqual(["s3", "s1", "s2"]);
  });
});
