/**
 * Drawing the whiteboard on a canvas: each stroke, and the board sized to its frame at 16:9 with
 * what is selected (selectTool.ts) shown by a dashed box, lifted over the board while dragged.
 */
import type { Board, BoardChange } from "./board";
import { movePoints, strokeBounds, type Bounds, type MeasureText } from "./selection";
import { ASPECT, type Stroke } from "./strokes";
import { TEXT_LINE_HEIGHT, textFont, textPixels } from "./textBox";

/** What is selected: strokes, how far they are being dragged (board points, not sent yet),
 * whether a text is open for editing (then the box shows it, not the board), and the box being
 * dragged out to select what it touches. */
export interface Selected {
  ids: readonly string[];
  dx: number;
  dy: number;
  editing: boolean;
  marquee?: Bounds | null;
}

const SELECTION_COLOR = "#1a73e8";

/** One stroke (or its points from `from` on) on a context the size of its canvas. */
export function drawStroke(ctx: CanvasRenderingContext2D, stroke: Stroke, from = 0): void {
  const px = (v: number, total: number) => (v / 10000) * total;
  const w = ctx.canvas.width;
  const hgt = ctx.canvas.height;
  ctx.save();
  ctx.globalCompositeOperation = stroke.erase ? "destination-out" : "source-over";
  ctx.strokeStyle = stroke.color;
  ctx.fillStyle = stroke.color;
  ctx.lineWidth = Math.max(1, (stroke.width / 1000) * w);
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  const pts = stroke.pts;
  if (stroke.text) {
    const pixels = textPixels(stroke.width, w);
    ctx.font = textFont(pixels);
    ctx.textBaseline = "top";
    const [x, y] = [px(pts[0], w), px(pts[1], hgt)];
    stroke.text.split("\n").forEach((line, i) => ctx.fillText(line, x, y + i * pixels * TEXT_LINE_HEIGHT));
    ctx.restore();
    return;
  }
  const start = Math.max(0, from - (from % 2));
  ctx.beginPath();
  if (pts.length - start <= 2) {
    ctx.arc(px(pts[start], w), px(pts[start + 1], hgt), ctx.lineWidth / 2, 0, Math.PI * 2);
    ctx.fill();
  } else {
    ctx.moveTo(px(pts[start], w), px(pts[start + 1], hgt));
    for (let i = start + 2; i < pts.length; i += 2) ctx.lineTo(px(pts[i], w), px(pts[i + 1], hgt));
    ctx.stroke();
  }
  ctx.restore();
}

/** Draws the board's strokes on the canvas, sized to its frame at 16:9. */
export class Renderer {
  private readonly ctx: CanvasRenderingContext2D;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly frame: HTMLElement,
    private readonly board: Board,
  ) {
    this.ctx = canvas.getContext("2d")!;
  }

  private selected: Selected | null = null;

  drawStroke(stroke: Stroke, from = 0): void {
    drawStroke(this.ctx, stroke, from);
  }

  /** The board again, what is selected shown as `selected` says (null: nothing). */
  show(selected: Selected | null): void {
    this.selected = selected && { ...selected, ids: [...selected.ids] };
    this.redraw();
  }

  redraw(): void {
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    const chosen = this.selected;
    const lifted = new Set(chosen && (chosen.editing || chosen.dx || chosen.dy) ? chosen.ids : []);
    for (const stroke of this.board.strokes.values()) if (!lifted.has(stroke.id)) this.drawStroke(stroke);
    if (chosen?.marquee) this.box(chosen.marquee, 0);
    if (!chosen || chosen.editing) return;
    for (const stroke of this.board.strokes.values()) {
      if (!chosen.ids.includes(stroke.id)) continue;
      // Dragged, they are drawn on top, where a move puts them.
      const shown = { ...stroke, pts: movePoints(stroke.pts, chosen.dx, chosen.dy) };
      if (lifted.size) this.drawStroke(shown);
      this.box(strokeBounds(shown, this.measure), 4);
    }
  }

  /** A text's size in board points, by the font the canvas draws it with. */
  readonly measure: MeasureText = (stroke) => {
    const { ctx, canvas } = this;
    const pixels = textPixels(stroke.width, canvas.width);
    ctx.save();
    ctx.font = textFont(pixels);
    const lines = (stroke.text ?? "").split("\n");
    const width = Math.max(...lines.map((line) => ctx.measureText(line).width));
    ctx.restore();
    return { width: (width / canvas.width) * 10000, height: ((lines.length * pixels * TEXT_LINE_HEIGHT) / canvas.height) * 10000 };
  };

  /** A dashed box (board points) `padding` CSS pixels out: around a selected stroke, or the
   * box being dragged out. */
  private box(b: Bounds, padding: number): void {
    const { ctx, canvas } = this;
    const [x, y] = [(b.x0 / 10000) * canvas.width, (b.y0 / 10000) * canvas.height];
    const [w, h] = [((b.x1 - b.x0) / 10000) * canvas.width, ((b.y1 - b.y0) / 10000) * canvas.height];
    const dpr = window.devicePixelRatio || 1;
    const pad = padding * dpr;
    ctx.save();
    ctx.strokeStyle = SELECTION_COLOR;
    ctx.lineWidth = Math.max(1, 2 * dpr);
    ctx.setLineDash([6 * dpr, 4 * dpr]);
    ctx.strokeRect(x - pad, y - pad, w + 2 * pad, h + 2 * pad);
    ctx.restore();
  }

  /** The largest canvas of the board's aspect that fits the frame's content box. */
  resize(): void {
    const style = getComputedStyle(this.frame);
    const px = (value: string) => parseFloat(value) || 0;
    const box = {
      width: Math.max(0, this.frame.clientWidth - px(style.paddingLeft) - px(style.paddingRight)),
      height: Math.max(0, this.frame.clientHeight - px(style.paddingTop) - px(style.paddingBottom)),
    };
    let width = box.width;
    let height = width / ASPECT;
    if (height > box.height && box.height > 0) {
      height = box.height;
      width = height * ASPECT;
    }
    const dpr = window.devicePixelRatio || 1;
    const canvas = this.canvas;
    canvas.style.width = `${Math.floor(width)}px`;
    canvas.style.height = `${Math.floor(height)}px`;
    canvas.width = Math.max(1, Math.floor(width * dpr));
    canvas.height = Math.max(1, Math.floor(height * dpr));
    this.redraw();
  }

  /** The board again with `stroke` over it: a shape being dragged, not on the board yet. */
  preview(stroke: Stroke | null): void {
    this.redraw();
    if (stroke) this.drawStroke(stroke);
  }

  apply(change: BoardChange): void {
    if (change.kind === "stroke") this.drawStroke(change.stroke, change.from);
    else this.redraw();
  }
}

