/**
 * The whiteboard's Select tool: a press on a stroke selects it (the topmost there: selection.ts),
 * Shift+press adds it to what is selected or takes it out, and a drag from an empty spot selects
 * everything the box it draws touches (with Shift, as well as what was selected). Dragging what
 * is selected moves it all, sent when let go (Board.move, one step); a double click on a text, or
 * Enter, opens it for editing in the text box; a colour or size chosen in the tool bar restyles
 * it. With the canvas focused, N selects the topmost stroke and then each one under it (Shift+N
 * back up), Ctrl+A everything, so that all of it can be done from the keyboard; the arrow keys
 * nudge what is selected (Shift: ten times as far), Ctrl+C copies it (Ctrl+X cuts it) and Ctrl+V
 * pastes a copy beside it, selected, Delete or Backspace deletes it and Escape lets it go. The
 * canvas's label says what is selected and which keys act on it.
 */
import type { Board } from "./board";
import type { Renderer, Selected } from "./renderer";
import { boxOf, clampMove, copyOffset, describeSelection, nextSelectable, strokeAt, strokesIn } from "./selection";
import type { Stroke } from "./strokes";
import { openTextBox, textPixels } from "./textBox";

/** How near a press must be to a stroke's ink to take it, in CSS pixels. */
const SLACK_PX = 8;
/** An arrow key's nudge, in board points (Shift: ten times). */
const NUDGE = 50;
const ARROWS: Readonly<Record<string, [number, number]>> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/** A press being dragged: what is selected moving, or a box selecting what it touches (`kept`:
 * what stays selected besides, with Shift). */
type Drag = { from: [number, number]; frame: number } & ({ kind: "move" } | { kind: "box"; kept: readonly string[] });

export class SelectTool {
  private selected: Selected | null = null;
  private drag: Drag | null = null;
  private closeText: (() => void) | null = null;
  /** What Ctrl+C or Ctrl+X took, as it was then (each paste goes on from the last copy). */
  private copied: Stroke[] = [];

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
    this.choose([]);
  }

  /** A colour or a size chosen in the tool bar: what is selected takes it (the rest of each
   * stroke's style stays its own). */
  restyle(color: string | undefined, size: number | undefined): void {
    const ids = this.on() ? this.ids() : [];
    if (ids.length && (color || size)) this.board.style(ids, color, size);
  }

  /** After any change of the board: what is selected may have moved or gone. */
  changed(): void {
    const selected = this.selected;
    if (!selected) return;
    const left = selected.ids.filter((id) => this.board.strokes.has(id));
    if (left.length === selected.ids.length) this.renderer.show(selected); // a box being dragged too
    else if (!left.length) this.drop(); // a text being edited, gone meanwhile, closes too
    else this.choose(left);
  }

  /** The selected strokes' ids, those still on the board. */
  private ids(): string[] {
    return (this.selected?.ids ?? []).filter((id) => this.board.strokes.has(id));
  }

  /** The selected strokes, in board order. */
  private strokes(): Stroke[] {
    const ids = new Set(this.ids());
    return [...this.board.strokes.values()].filter((stroke) => ids.has(stroke.id));
  }

  private choose(ids: readonly string[]): void {
    if (this.drag) cancelAnimationFrame(this.drag.frame);
    this.drag = null;
    this.selected = ids.length ? { ids, dx: 0, dy: 0, editing: false } : null;
    this.renderer.show(this.selected);
    const strokes = this.strokes();
    const one = strokes.length === 1 ? strokes[0] : null;
    const them = one ? "it" : "them";
    this.label(strokes.length ? `Selected: ${describeSelection(strokes)}. Arrow keys move ${them}, Ctrl+C copies ${them}, Delete deletes ${them}, ${one?.text ? "Enter edits it, " : ""}Escape lets ${them} go.` : null);
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
    const from = this.point(event);
    const slack = (SLACK_PX / this.canvas.getBoundingClientRect().height) * 10000;
    const id = strokeAt(this.board.strokes.values(), from[0], from[1], slack, this.renderer.measure);
    const ids = this.ids();
    this.canvas.setPointerCapture(event.pointerId);
    if (event.shiftKey && id) return this.choose(ids.includes(id) ? ids.filter((one) => one !== id) : [...ids, id]);
    if (!id) {
      const kept = event.shiftKey ? ids : [];
      this.choose(kept);
      this.drag = { from, frame: 0, kind: "box", kept };
      return;
    }
    if (!ids.includes(id)) this.choose([id]);
    this.drag = { from, frame: 0, kind: "move" };
    this.canvas.classList.add("dragging");
  }

  private dragTo(event: PointerEvent): void {
    const { drag } = this;
    if (!drag) return;
    const to = this.point(event);
    if (drag.kind === "box") {
      this.selected = { ids: drag.kept, dx: 0, dy: 0, editing: false, marquee: boxOf(drag.from, to) };
    } else if (this.selected) {
      const pts = this.strokes().flatMap((stroke) => stroke.pts);
      [this.selected.dx, this.selected.dy] = clampMove(pts, to[0] - drag.from[0], to[1] - drag.from[1]);
    } else return;
    const selected = this.selected;
    if (!drag.frame) drag.frame = requestAnimationFrame(() => {
      drag.frame = 0;
      this.renderer.show(selected);
    });
  }

  /** The end of a press: a drag is sent as one move (`keep`), a box selects what it touches
   * (with what was kept), or either is dropped (cancelled). */
  private letGo(keep: boolean): void {
    const { drag, selected } = this;
    if (!drag) return;
    cancelAnimationFrame(drag.frame);
    this.drag = null;
    this.canvas.classList.remove("dragging");
    if (drag.kind === "box") {
      const box = selected?.marquee;
      const slack = (SLACK_PX / this.canvas.getBoundingClientRect().height) * 10000;
      // A click on an empty spot (no box to speak of) selects nothing more.
      const big = !!box && keep && (box.x1 - box.x0 > slack || box.y1 - box.y0 > slack);
      const touched = big ? strokesIn(this.board.strokes.values(), box, this.renderer.measure) : [];
      return this.choose([...new Set([...drag.kept, ...touched])]);
    }
    if (!selected) return;
    const [dx, dy] = [selected.dx, selected.dy];
    [selected.dx, selected.dy] = [0, 0];
    if (keep && (dx || dy)) this.board.move(this.ids(), dx, dy); // the board's change shows it
    else this.renderer.show(selected);
  }

  private key(event: KeyboardEvent): void {
    const ids = this.ids();
    if (!this.on() || event.altKey || !this.board.mayDraw) return;
    if (event.ctrlKey || event.metaKey) return this.ctrlKey(event);
    const arrow = ARROWS[event.key];
    if (event.key.toLowerCase() === "n") {
      const id = nextSelectable(this.board.strokes.values(), ids.at(-1) ?? null, event.shiftKey);
      if (!id) return;
      this.choose([id]);
    } else if (!ids.length) {
      return;
    } else if (arrow) {
      const step = event.shiftKey ? NUDGE * 10 : NUDGE;
      this.board.move(ids, arrow[0] * step, arrow[1] * step, true);
    } else if (event.key === "Delete" || event.key === "Backspace") {
      this.board.delete(ids); // the board's change lets them go
    } else if (event.key === "Enter") {
      if (!this.editText()) return;
    } else if (event.key === "Escape") {
      this.choose([]);
    } else return;
    event.preventDefault();
    event.stopPropagation(); // Escape here lets the strokes go, nothing else
  }

  /** Ctrl+A selects everything, Ctrl+C copies what is selected, Ctrl+X cuts it, Ctrl+V pastes a
   * copy beside the last one copied (or pasted), for everyone, and selects it. Other keys with
   * Ctrl are the room's. */
  private ctrlKey(event: KeyboardEvent): void {
    const key = event.key.toLowerCase();
    const strokes = this.strokes();
    if (key === "a") {
      this.choose([...this.board.strokes.values()].filter((s) => !s.erase && s.pts.length >= 2).map((s) => s.id));
    } else if ((key === "c" || key === "x") && strokes.length) {
      this.copied = strokes.map((stroke) => ({ ...stroke, pts: [...stroke.pts] }));
      if (key === "x") this.board.delete(strokes.map((stroke) => stroke.id));
    } else if (key === "v" && this.copied.length) {
      const pasted = this.board.paste(this.copied, ...copyOffset(this.copied.flatMap((stroke) => stroke.pts)));
      if (!pasted.length) return;
      this.copied = pasted;
      this.choose(pasted.map((stroke) => stroke.id));
    } else return;
    event.preventDefault();
    event.stopPropagation();
  }

  /** Opens the selected text (one alone) in the text box, where it is; whether there was one. */
  private editText(): boolean {
    const selected = this.selected;
    const strokes = this.strokes();
    const stroke = strokes.length === 1 ? strokes[0] : null;
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
      if (this.selected === selected) this.choose(this.board.strokes.has(stroke.id) ? [stroke.id] : []);
      // Enter or Escape in the box: back to the board (a click elsewhere keeps its own focus).
      if (!document.activeElement || document.activeElement === document.body) this.canvas.focus();
    });
    return true;
  }
}
