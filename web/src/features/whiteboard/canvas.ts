/** The whiteboard canvas (lazy-loaded): select and move, pen, shapes, text, colours, sizes, eraser,
 * undo and redo, clear. */
import { effect } from "@preact/signals-core";
import { clear, h, icon } from "../../ui/dom";
import { PERMISSIONS } from "../hosts/permissions";
import type { Board, Stroke } from "./board";
import { drawStroke, Renderer } from "./renderer";
import { SelectTool } from "./selectTool";
import { SHAPES, shapePoints, type Shape } from "./shapes";
import { ASPECT } from "./strokes";
import { openTextBox, textPixels } from "./textBox";

const COLORS = [
  ["#111111", "Black"],
  ["#d93025", "Red"],
  ["#1a73e8", "Blue"],
  ["#188038", "Green"],
  ["#f9ab00", "Yellow"],
  ["#9334e6", "Purple"],
] as const;
const SIZES = [
  [3, "Thin"],
  [6, "Medium"],
  [14, "Thick"],
] as const;
const SEND_INTERVAL_MS = 40;

/** What the pointer does: select and move, free lines, a shape's outline, a text, or the eraser. */
type Mode = "select" | "pen" | "eraser" | "text" | Shape;
const MODE_NAMES: Readonly<Record<Mode, string>> = { select: "Select", pen: "Pen", line: "Line", arrow: "Arrow", rectangle: "Rectangle", ellipse: "Ellipse", text: "Text", eraser: "Eraser" };
/** A shape smaller than this (board points, each way) is a slip, not a shape. */
const MIN_SHAPE = 30;

interface Tools {
  color: string;
  size: number;
  mode: Mode;
}

/** Undo and redo of our own strokes: the buttons, kept enabled only when there is something to do. */
function history(board: Board): { buttons: HTMLElement[]; sync: () => void } {
  const undo = h("button", { class: "tool", type: "button", "aria-label": "Undo", title: "Undo (Ctrl+Z)", "aria-keyshortcuts": "Control+Z" }, icon("undo"));
  const redo = h("button", { class: "tool", type: "button", "aria-label": "Redo", title: "Redo (Ctrl+Shift+Z)", "aria-keyshortcuts": "Control+Shift+Z" }, icon("redo"));
  undo.addEventListener("click", () => board.undo());
  redo.addEventListener("click", () => board.redo());
  const sync = () => {
    undo.disabled = !board.canUndo;
    redo.disabled = !board.canRedo;
  };
  sync();
  return { buttons: [undo, redo], sync };
}

/** Ctrl+Z undoes, Ctrl+Shift+Z or Ctrl+Y redoes, while the whiteboard has the focus. */
function historyKeys(event: KeyboardEvent, board: Board): void {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
  const key = event.key.toLowerCase();
  if (key === "z" && !event.shiftKey) board.undo();
  else if ((key === "z" && event.shiftKey) || key === "y") board.redo();
  else return;
  event.preventDefault();
}

/** The tool bar; `tools` is changed in place and `changed` called after each choice with what
 * changed (and whether it was the mode). */
function toolbar(tools: Tools, board: Board, canvas: HTMLCanvasElement, undoRedo: HTMLElement[], changed: (change: Partial<Tools>, modeChanged: boolean) => void): HTMLElement {
  const modeButton = (mode: Mode) => {
    const b = h("button", { class: "tool", type: "button", "aria-label": MODE_NAMES[mode], "aria-pressed": String(mode === tools.mode), dataset: { mode } }, icon(mode === "rectangle" ? "rect" : mode));
    b.addEventListener("click", () => choose({ mode }));
    return b;
  };
  const modeButtons = (["select", "pen", ...SHAPES, "text", "eraser"] as Mode[]).map(modeButton);
  const clearButton = h("button", { class: "btn btn-ghost btn-small", type: "button" }, icon("trash"), "Clear");
  const colorButtons = COLORS.map(([value, name]) => {
    const b = h("button", {
      class: "swatch",
      type: "button",
      "aria-label": `${name} pen`,
      "aria-pressed": String(value === tools.color),
      dataset: { color: value },
    });
    b.style.setProperty("--swatch", value);
    // A colour is for drawing: it puts the eraser down (a shape stays chosen).
    b.addEventListener("click", () => choose({ color: value, mode: tools.mode === "eraser" ? "pen" : tools.mode }));
    return b;
  });
  const sizeButtons = SIZES.map(([value, name]) => {
    const b = h(
      "button",
      { class: "tool size", type: "button", "aria-label": `${name} line`, "aria-pressed": String(value === tools.size) },
      h("span", { class: "dot", style: `--d:${4 + value}px` }),
    );
    b.addEventListener("click", () => choose({ size: value }));
    return { b, value };
  });
  function choose(change: Partial<Tools>): void {
    const modeChanged = change.mode !== undefined && change.mode !== tools.mode;
    Object.assign(tools, change);
    const erasing = tools.mode === "eraser";
    modeButtons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.mode === tools.mode)));
    colorButtons.forEach((b) => b.setAttribute("aria-pressed", String(!erasing && b.dataset.color === tools.color)));
    sizeButtons.forEach(({ b, value }) => b.setAttribute("aria-pressed", String(value === tools.size)));
    canvas.classList.toggle("erasing", erasing);
    canvas.classList.toggle("selecting", tools.mode === "select");
    changed(change, modeChanged);
  }
  clearButton.addEventListener("click", () => {
    if (board.isEmpty || confirm("Clear the whiteboard for everyone?")) board.clear();
  });
  return h(
    "div",
    { class: "board-toolbar", role: "toolbar", "aria-label": "Whiteboard tools" },
    ...modeButtons,
    h("span", { class: "sep" }),
    ...colorButtons,
    h("span", { class: "sep" }),
    ...sizeButtons.map((s) => s.b),
    h("span", { class: "sep" }),
    ...undoRedo,
    h("span", { class: "spacer" }),
    clearButton,
  );
}

/** The whole board as a PNG, `width` pixels wide at 16:9, strokes over white (what an organisation stores). */
export async function boardPng(board: Board, width = 1920): Promise<Blob> {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = Math.round(width / ASPECT);
  const ctx = canvas.getContext("2d")!;
  for (const stroke of board.strokes.values()) drawStroke(ctx, stroke);
  // White goes behind the strokes (the eraser cut through them, not through the paper).
  ctx.globalCompositeOperation = "destination-over";
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("no PNG"))), "image/png"));
}

/** Pointer drawing: a stroke starts at once, its points go out in batches; a shape is shown as it
 * is dragged and goes out whole when let go. Returns the end of a stroke (a shape dropped). */
function bindInput(canvas: HTMLCanvasElement, board: Board, tools: Tools, renderer: Renderer): () => void {
  let active: Stroke | null = null;
  let shape: { kind: Shape; from: [number, number]; to: [number, number]; square: boolean; frame: number } | null = null;
  let pending: number[] = [];
  let closeText: (() => void) | null = null;
  let sendTimer: ReturnType<typeof setTimeout> | null = null;
  const point = (event: PointerEvent): [number, number] => {
    const rect = canvas.getBoundingClientRect();
    return [((event.clientX - rect.left) / rect.width) * 10000, ((event.clientY - rect.top) / rect.height) * 10000];
  };
  const flush = () => {
    if (sendTimer) clearTimeout(sendTimer);
    sendTimer = null;
    if (active && pending.length) board.extend(active, pending);
    pending = [];
  };
  const outline = (s: NonNullable<typeof shape>) => shapePoints(s.kind, s.from, s.to, s.square);
  const showShape = () => {
    if (!shape) return;
    shape.frame = 0;
    renderer.preview({ id: "", color: tools.color, width: tools.size, erase: false, pts: outline(shape) });
  };
  const dropShape = (keep: boolean) => {
    const done = shape;
    shape = null;
    if (!done) return;
    cancelAnimationFrame(done.frame);
    renderer.preview(null);
    const big = Math.abs(done.to[0] - done.from[0]) >= MIN_SHAPE || Math.abs(done.to[1] - done.from[1]) >= MIN_SHAPE;
    if (keep && big) board.shape(tools.color, tools.size, outline(done));
  };
  const end = (event?: Event) => {
    if (!event) closeText?.(); // drawing turned off, or the board closing: what was typed goes
    flush();
    active = null;
    dropShape(event?.type === "pointerup");
  };
  canvas.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || !board.mayDraw || tools.mode === "select") return; // selectTool.ts
    canvas.setPointerCapture(event.pointerId);
    const [x, y] = point(event);
    event.preventDefault();
    if (tools.mode === "text") {
      closeText?.();
      const rect = canvas.getBoundingClientRect();
      const { color, size } = tools;
      const place = { left: event.clientX - rect.left, top: event.clientY - rect.top, color, pixels: textPixels(size, rect.width) };
      closeText = openTextBox(canvas, place, (text) => {
        closeText = null;
        if (text) board.text(color, size, x, y, text);
      });
      return;
    }
    if (tools.mode !== "pen" && tools.mode !== "eraser") {
      shape = { kind: tools.mode, from: [x, y], to: [x, y], square: event.shiftKey, frame: 0 };
      return;
    }
    const erasing = tools.mode === "eraser";
    active = board.begin(tools.color, erasing ? tools.size * 3 : tools.size, erasing, x, y);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (shape) {
      shape.to = point(event);
      shape.square = event.shiftKey; // Shift: a square, a circle
      if (!shape.frame) shape.frame = requestAnimationFrame(showShape);
      return;
    }
    if (!active) return;
    for (const e of event.getCoalescedEvents?.() ?? [event]) pending.push(...point(e));
    if (!sendTimer) sendTimer = setTimeout(flush, SEND_INTERVAL_MS);
  });
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  return end;
}

const LABEL = "Shared whiteboard. Draw with the mouse, a pen or a finger.";
const HELD_LABEL = "Shared whiteboard, drawing turned off by a host.";
const SELECT_HINT = "N selects the topmost item, and again the one under it; Shift+N goes back up; Ctrl+A selects everything.";

/** While a host turned drawing off for us: the tools disabled, the canvas only shown, and why. */
function holdDrawing(wrapper: HTMLElement, canvas: HTMLCanvasElement, board: Board, changed: () => void): () => void {
  const note = h("p", { class: "board-off muted small", id: "board-off" }, PERMISSIONS.whiteboard.off);
  return effect(() => {
    const off = board.rules.drawingOff.value;
    wrapper.classList.toggle("board-held", off);
    for (const tool of wrapper.querySelectorAll<HTMLButtonElement>(".board-toolbar button")) tool.disabled = off;
    canvas.setAttribute("aria-label", off ? HELD_LABEL : LABEL);
    if (off) wrapper.prepend(note);
    else note.remove();
    changed();
  });
}

export function mountWhiteboard(host: HTMLElement, board: Board): { destroy(): void } {
  const tools: Tools = { color: COLORS[0][0], size: SIZES[1][0], mode: "pen" };
  const canvas = h("canvas", {
    class: "board-canvas",
    role: "img",
    "aria-label": LABEL,
    tabindex: "0",
  });
  const frame = h("div", { class: "board-frame" }, canvas);
  const renderer = new Renderer(canvas, frame, board);
  const select = new SelectTool(canvas, board, renderer, () => tools.mode === "select", (selected) => {
    if (board.rules.drawingOff.peek()) canvas.setAttribute("aria-label", HELD_LABEL);
    else canvas.setAttribute("aria-label", `${LABEL} ${selected ?? (tools.mode === "select" ? SELECT_HINT : "")}`.trim());
  });
  const undoRedo = history(board);
  // Another tool lets go of what is selected; a colour or a size chosen restyles it.
  const bar = toolbar(tools, board, canvas, undoRedo.buttons, (change, modeChanged) => (modeChanged ? select.drop() : select.restyle(change.color, change.size)));
  const wrapper = h("div", { class: "whiteboard" }, bar, frame);
  wrapper.addEventListener("keydown", (event) => historyKeys(event, board));
  clear(host);
  host.appendChild(wrapper);

  const observer = new ResizeObserver(() => renderer.resize());
  observer.observe(frame);
  renderer.resize();
  const off = board.on("change", (change) => {
    renderer.apply(change);
    select.changed();
    undoRedo.sync();
  });
  const endStroke = bindInput(canvas, board, tools, renderer);
  const stopHold = holdDrawing(wrapper, canvas, board, () => {
    endStroke();
    select.drop();
    undoRedo.sync();
  });
  return {
    destroy() {
      stopHold();
      endStroke();
      select.drop();
      off();
      observer.disconnect();
      wrapper.remove();
    },
  };
}
