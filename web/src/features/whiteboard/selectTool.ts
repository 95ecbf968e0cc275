/**
 * The whiteboard's Select tool: a press on a stroke selects it (the topmost there: selection.ts)
 * and dragging moves it, sent when let go (Board.move); a double click on a text, or Enter,
 * opens it for editing in the text box; a colour or size chosen in the tool bar restyles it.
 * With the canvas focused, N selects the topmost stroke
 * and then each one under it (Shift+N back up), so that all of it can be done from the keyboard;
 * the arrow keys nudge what is selected (Shift: ten times as far), Ctrl+C copies it (Ctrl+X
 * cuts it) and Ctrl+V pastes a copy beside it, selected, Delete or Backspace deletes it and
 * Escape lets it go. The canvas's label says what is selected and which keys act on it.
 */
import type { Board } from "./board";
import type { Renderer, Selected } from "./renderer";
import { clampMove, copyOffset, describeStroke, nextSelectable, strokeAt } from "./selection";
import type { Stroke } from "./strokes";
import { openTextBox, textPixels } from "./textBox";

/** How near a press must be to a stroke's ink to take it, in CSS pixels. */
const SLACK_PX = 8;
/** An arrow key's nudge, in board points (Shift: ten times). */
const NUDGE = 50;
const ARROWS: Readonly<Record<string, [number, number]>> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

export class SelectTool {
  private selected: Selected | null = null;
  private drag: { from: [number, number]; frame: number } | null = null;
  private closeText: (() => void) | null = null;
  /** What Ctrl+C or Ctrl+X took, as it was then (each paste goes on from the last copy). */
  private copied: Stroke | null = null;

  /** `on`: whether the tool is the one chosen; `label`: the canvas's label with what is
   * selected (null: nothing). */
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly board: Board,
    private readonly renderer: Renderer,
    private readonly on: () => boolean,
    private readonly label: (selected: string | null) => void,
  ) {
    canvas.addEventListener("pointerdown", (event) => this.press(event));
    canvas.addEventListener("pointermove", (event) => this.dragTo(event));
    canvas.addEventListener("pointerup", () => this.letGo(true));
    canvas.addEventListener("pointercancel", () => this.letGo(false));
    canvas.addEventListener("dblclick", () => this.editText());
    canvas.addEventListener("keydown", (event) => this.key(event));
  }

  /** Nothing selected any more (another tool, drawing turned off, the board closing); a text
   * being edited is kept as typed. */
  drop(): void {
    this.closeText?.();
    this.choose(null);
  }

  /** A colour or a size chosen in the tool bar: what is selected takes it. */
  restyle(color: string | undefined, size: number | undefined): void {
    const stroke = this.on() && this.selected ? this.board.strokes.get(this.selected.id) : undefined;
    if (stroke && (color || size)) this.board.style(stroke.id, color ?? stroke.color, size ?? stroke.width);
  }

  /** After any change of the board: what is selected may have moved or gone. */
  changed(): void {
    if (this.selected && !this.board.strokes.has(this.selected.id)) this.drop();
    else if (this.selected) this.renderer.show(this.selected);
  }

  private choose(selected: Selected | null): void {
    if (this.drag) cancelAnimationFrame(this.drag.frame);
    this.drag = null;
    this.selected = selected;
    this.renderer.show(selected);
    const stroke = selected && this.board.strokes.get(selected.id);
    this.label(stroke ? `Selected: ${describeStroke(stroke)}. Arrow keys move it, Ctrl+C copies it, Delete deletes it, ${stroke.text ? "Enter edits it, " : ""}Escape lets it go.` : null);
  }

  private point(event: PointerEvent): [number, number] {
    const rect = this.canvas.getBoundingClientRect();
    return [((event.clientX - rect.left) / rect.width) * 10000, ((event.clientY - rect.top) / rect.height) * 10000];
  }

  private press(event: PointerEvent): void {
    if (!this.on() || event.button !== 0 || !this.board.mayDraw) return;
    event.preventDefault(); // which also keeps the press from focusing the canvas: the keys need it
    this.canvas.focus();
    this.closeText?.();
    const [x, y] = this.point(event);
    const slack = (SLACK_PX / this.canvas.getBoundingClientRect().height) * 10000;
    const id = strokeAt(this.board.strokes.values(), x, y, slack, this.renderer.measure);
    if (!id) return this.choose(null);
    this.canvas.setPointerCapture(event.pointerId);
    if (id !== this.selected?.id) this.choose({ id, dx: 0, dy: 0, editing: false });
    this.drag = { from: [x, y], frame: 0 };
    this.canvas.classList.add("dragging");
  }

  private dragTo(event: PointerEvent): void {
    const { drag, selected } = this;
    const stroke = selected && this.board.strokes.get(selected.id);
    if (!drag || !selected || !stroke) return;
    const [x, y] = this.point(event);
    [selected.dx, selected.dy] = clampMove(stroke.pts, x - drag.from[0], y - drag.from[1]);
    if (!drag.frame) drag.frame = requestAnimationFrame(() => {
      drag.frame = 0;
      this.renderer.show(selected);
    });
  }

  /** The end of a press: a drag is sent as one move (`keep`), or dropped (cancelled). */
  private letGo(keep: boolean): void {
    const { drag, selected } = this;
    if (!drag || !selected) return;
    cancelAnimationFrame(drag.frame);
    this.drag = null;
    this.canvas.classList.remove("dragging");
    const [dx, dy] = [selected.dx, selected.dy];
    [selected.dx, selected.dy] = [0, 0];
    if (keep && (dx || dy)) this.board.move(selected.id, dx, dy); // the board's change shows it
    else this.renderer.show(selected);
  }

  private key(event: KeyboardEvent): void {
    const selected = this.selected;
    if (!this.on() || event.altKey || !this.board.mayDraw) return;
    if (event.ctrlKey || event.metaKey) return this.clipboardKey(event);
    const arrow = ARROWS[event.key];
    if (event.key.toLowerCase() === "n") {
      const id = nextSelectable(this.board.strokes.values(), selected?.id ?? null, event.shiftKey);
      if (!id) return;
      this.choose({ id, dx: 0, dy: 0, editing: false });
    } else if (!selected) {
      return;
    } else if (arrow) {
      const step = event.shiftKey ? NUDGE * 10 : NUDGE;
      this.board.move(selected.id, arrow[0] * step, arrow[1] * step, true);
    } else if (event.key === "Delete" || event.key === "Backspace") {
      this.board.delete(selected.id); // the board's change lets it go
    } else if (event.key === "Enter") {
      if (!this.editText()) return;
    } else if (event.key === "Escape") {
      this.choose(null);
    } else return;
    event.preventDefault();
    event.stopPropagation(); // Escape here lets the stroke go, nothing else
  }

  /** Ctrl+C copies what is selected, Ctrl+X cuts it, Ctrl+V pastes a copy beside the last one
   * copied (or pasted), for everyone, and selects it. Other keys with Ctrl are the room's. */
  private clipboardKey(event: KeyboardEvent): void {
    const key = event.key.toLowerCase();
    const stroke = this.selected && this.board.strokes.get(this.selected.id);
    if ((key === "c" || key === "x") && stroke) {
      this.copied = { ...stroke, pts: [...stroke.pts] };
      if (key === "x") this.board.delete(stroke.id);
    } else if (key === "v" && this.copied) {
      const pasted = this.board.paste(this.copied, ...copyOffset(this.copied.pts));
      if (!pasted) return;
      this.copied = pasted;
      this.choose({ id: pasted.id, dx: 0, dy: 0, editing: false });
    } else return;
    event.preventDefault();
    event.stopPropagation();
  }

  /** Opens the selected text in the text box, where it is; whether there was one. */
  private editText(): boolean {
    const selected = this.selected;
    const stroke = selected && this.board.strokes.get(selected.id);
    if (!this.on() || !selected || !stroke?.text || !this.board.mayDraw) return false;
    const rect = this.canvas.getBoundingClientRect();
    const [left, top] = [(stroke.pts[0] / 10000) * rect.width, (stroke.pts[1] / 10000) * rect.height];
    selected.editing = true;
    this.renderer.show(selected);
    const place = { left, top, color: stroke.color, pixels: textPixels(stroke.width, rect.width), value: stroke.text };
    this.closeText = openTextBox(this.canvas, place, (text) => {
      this.closeText = null;
      selected.editing = false;
      if (text !== null) this.board.edit(stroke.id, text);
      if (this.selected === selected) this.choose(this.board.strokes.has(stroke.id) ? selected : null);
      // Enter or Escape in the box: back to the board (a click elsewhere keeps its own focus).
      if (!document.activeElement || document.activeElement === document.body) this.canvas.focus();
    });
    return true;
  }
}
