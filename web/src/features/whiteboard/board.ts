/**
 * The shared whiteboard's state and its data-channel protocol ("board" channel). Strokes are
 * lists of points normalised to 0..10000 on both axes, so every screen size draws the same board.
 *
 *   {t:"stroke", id, color, width, erase, pts:[x,y,x,y...], append?, below?, text?}
 *                                                                      a stroke or more of its points;
 *                                                                      `below`: a redone stroke goes
 *                                                                      back under that one; `text`:
 *                                                                      lines of text ("\n"), top left at
 *                                                                      the one point, `width` its size
 *   {t:"clear"}                                                        wipe the board
 *   {t:"remove", id}                                                   take stroke id off (an undo)
 *   {t:"sync-request"}                                                 newcomer asks one peer for the board
 *
 * A newcomer (the caller of its connections) asks the first peer whose board channel opens; that
 * peer answers with the whole board as stroke messages. Undo takes one's own last stroke off
 * ("remove": no more than anyone can do with "clear"); redo sends it again as strokes, back where
 * it was among the others (under the stroke that followed it, an eraser's included). The canvas
 * UI is lazy-loaded (whiteboard.ts).
 *
 * A host may turn drawing off for participants (docs/protocol.md section 5): we then draw nothing,
 * and take no stroke, removal or clearing from someone for whom it is off, nor ask them for the
 * board (a sync answer is strokes like any other).
 */
import { signal, type ReadonlySignal } from "@preact/signals-core";
import { Emitter } from "../../core/state/emitter";
import { parseJsonObject } from "../../core/meeting/channelJson";
import type { ChannelProtocol } from "../../core/meeting/link";
import type { PeerLink } from "../../core/meeting/peer";

export interface Stroke {
  id: string;
  color: string;
  /** Line width in thousandths of the board's width. */
  width: number;
  erase: boolean;
  pts: number[];
  /** A text: its lines ("\n") written from the stroke's one point (its top left), `width` sizing it. */
  text?: string;
}

export type BoardChange =
  | { kind: "stroke"; stroke: Stroke; from: number }
  | { kind: "clear" }
  | { kind: "reset" };

type BoardEvents = { change: BoardChange; activity: string };

/** What the board needs of a connection (a PeerLink). */
export type BoardLink = Pick<PeerLink, "uid" | "role" | "send">;

interface MeetingLike {
  readonly links: ReadonlyMap<string, BoardLink>;
  displayName(uid: string): string;
}

/** Who may draw (features/hosts/permissions.ts). */
export interface BoardRules {
  /** Whether someone else, `uid`, may draw. */
  draws(uid: string): boolean;
  /** A host turned drawing off for us. */
  readonly drawingOff: ReadonlySignal<boolean>;
}

const OPEN: BoardRules = { draws: () => true, drawingOff: signal(false) };

const MAX_POINTS_PER_MESSAGE = 2000;
const MAX_POINTS_RECEIVED = 200_000;
const COLOR = /^#[0-9a-f]{6}$/i;
const DEFAULT_COLOR = "#111111";
/** The longest text on the board, in UTF-16 units (its line breaks included), and its most lines. */
export const MAX_TEXT = 200;
export const MAX_TEXT_LINES = 10;

/** A coordinate on the 0..10000 grid. */
export function clampPoint(v: unknown): number {
  const n = Math.round(Number(v));
  return Number.isFinite(n) ? Math.min(10000, Math.max(0, n)) : 0;
}

/** Line width in thousandths of the board's width, 1..200. */
export function clampWidth(v: unknown, fallback: number): number {
  return Math.max(1, Math.min(200, Math.round(Number(v) || fallback)));
}

export function cleanColor(v: unknown): string {
  return typeof v === "string" && COLOR.test(v) ? v : DEFAULT_COLOR;
}

/** A received list of points: clamped, at most MAX_POINTS_RECEIVED numbers, in whole pairs. */
export function cleanPoints(pts: readonly unknown[]): number[] {
  const clean = pts.slice(0, MAX_POINTS_RECEIVED).map(clampPoint);
  if (clean.length % 2) clean.pop();
  return clean;
}

/** A received or typed text: at most MAX_TEXT_LINES lines (any line break made "\n", other
 * controls a space, the blank lines and spaces around it and each line's trailing spaces out),
 * at most MAX_TEXT long; null when nothing is left. */
export function cleanText(v: unknown): string | null {
  if (typeof v !== "string") return null;
  const lines = v
    .replace(/\r\n?|[\u0085\u2028\u2029]/g, "\n")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]+/g, " ")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .trim()
    .split("\n");
  const text = lines.slice(0, MAX_TEXT_LINES).join("\n").slice(0, MAX_TEXT).trim();
  return text || null;
}

/** The messages that send a whole board to a newcomer: each stroke, in slices of points. */
export function boardMessages(strokes: Iterable<Stroke>): string[] {
  const out: string[] = [];
  for (const stroke of strokes) {
    for (let i = 0; i < stroke.pts.length; i += MAX_POINTS_PER_MESSAGE) {
      out.push(
        JSON.stringify({
          t: "stroke",
          id: stroke.id,
          color: stroke.color,
          width: stroke.width,
          erase: stroke.erase,
          pts: stroke.pts.slice(i, i + MAX_POINTS_PER_MESSAGE),
          append: i > 0,
          ...(stroke.text ? { text: stroke.text } : {}),
        }),
      );
    }
  }
  return out;
}

export class Board extends Emitter<BoardEvents> implements ChannelProtocol {
  readonly label = "board";
  readonly strokes = new Map<string, Stroke>();
  private askedForSync = false;
  /** Our own strokes, the last drawn last (some may since have been cleared by someone). */
  private mine: string[] = [];
  /** Our strokes undone, the last undone last, each with the stroke it lay under (null: none):
   * redo puts them back there. */
  private undone: { stroke: Stroke; below: string | null }[] = [];

  constructor(
    private readonly meeting: MeetingLike,
    readonly rules: BoardRules = OPEN,
  ) {
    super();
  }

  /** We may draw now. */
  get mayDraw(): boolean {
    return !this.rules.drawingOff.peek();
  }

  get isEmpty(): boolean {
    return this.strokes.size === 0;
  }

  get canUndo(): boolean {
    return this.mayDraw && this.mine.some((id) => this.strokes.has(id));
  }

  get canRedo(): boolean {
    return this.mayDraw && this.undone.length > 0;
  }

  /** Take our last stroke still on the board off, for everyone. */
  undo(): void {
    if (!this.mayDraw) return;
    let id: string | undefined;
    while ((id = this.mine.pop()) !== undefined && !this.strokes.has(id));
    const stroke = id === undefined ? undefined : this.strokes.get(id);
    if (!stroke) return;
    this.undone.push({ stroke, below: strokeAfter(this.strokes, stroke.id) });
    this.strokes.delete(stroke.id);
    this.broadcast({ t: "remove", id: stroke.id });
    this.emit("change", { kind: "reset" });
  }

  /** Put our last undone stroke back, for everyone, where it was among the others. */
  redo(): void {
    if (!this.mayDraw) return;
    const undone = this.undone.pop();
    if (!undone) return;
    const { stroke, below } = undone;
    this.mine.push(stroke.id);
    const messages = boardMessages([stroke]);
    if (below) messages[0] = JSON.stringify({ ...JSON.parse(messages[0]), below });
    for (const message of messages) for (const link of this.meeting.links.values()) link.send("board", message);
    this.place(stroke, below);
  }

  /** A whole stroke on the board: under `below` when that is there (then everything is drawn
   * again), else on top. */
  private place(stroke: Stroke, below: string | null): void {
    if (below && this.strokes.has(below)) {
      insertBefore(this.strokes, stroke, below);
      this.emit("change", { kind: "reset" });
    } else {
      this.strokes.set(stroke.id, stroke);
      this.emit("change", { kind: "stroke", stroke, from: 0 });
    }
  }

  open(link: BoardLink): void {
    if (link.role === "caller" && !this.askedForSync && this.rules.draws(link.uid)) {
      this.askedForSync = true;
      link.send("board", JSON.stringify({ t: "sync-request" }));
    }
  }

  /** Local drawing: start a stroke (sent at once) and append points (sent in batches); null
   * while a host turned drawing off for us. */
  begin(color: string, width: number, erase: boolean, x: number, y: number): Stroke | null {
    return this.newStroke(color, width, erase, [x, y]);
  }

  /** A whole shape (shapes.ts: the outline of a line, an arrow, a rectangle, an ellipse) as one
   * stroke, sent in one message; null while a host turned drawing off for us. */
  shape(color: string, width: number, pts: readonly number[]): Stroke | null {
    return pts.length >= 2 && pts.length <= MAX_POINTS_PER_MESSAGE ? this.newStroke(color, width, false, pts) : null;
  }

  /** A text (up to MAX_TEXT_LINES lines) with its top left at (x, y), sent in one message; null
   * while a host turned drawing off for us, or when there is no text. Older clients draw a dot. */
  text(color: string, size: number, x: number, y: number, text: string): Stroke | null {
    const line = cleanText(text);
    return line ? this.newStroke(color, size, false, [x, y], line) : null;
  }

  private newStroke(color: string, width: number, erase: boolean, pts: readonly number[], text?: string): Stroke | null {
    if (!this.mayDraw) return null;
    const stroke: Stroke = {
      id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
      color: cleanColor(color),
      width: clampWidth(width, 1),
      erase,
      pts: cleanPoints(pts),
      ...(text ? { text } : {}),
    };
    this.strokes.set(stroke.id, stroke);
    this.mine.push(stroke.id);
    this.undone = []; // a new stroke ends what redo could bring back
    this.broadcast({ t: "stroke", ...stroke });
    this.emit("change", { kind: "stroke", stroke, from: 0 });
    return stroke;
  }

  extend(stroke: Stroke, points: number[]): void {
    if (!points.length || !this.mayDraw) return;
    const from = stroke.pts.length;
    const clean = points.map(clampPoint);
    stroke.pts.push(...clean);
    this.broadcast({ t: "stroke", id: stroke.id, color: stroke.color, width: stroke.width, erase: stroke.erase, pts: clean, append: true });
    this.emit("change", { kind: "stroke", stroke, from: Math.max(0, from - 2) });
  }

  clear(): void {
    if (!this.mayDraw) return;
    this.strokes.clear();
    this.mine = [];
    this.undone = [];
    this.broadcast({ t: "clear" });
    this.emit("change", { kind: "clear" });
  }

  private broadcast(message: Record<string, unknown>): void {
    const text = JSON.stringify(message);
    for (const link of this.meeting.links.values()) link.send("board", text);
  }

  private sendBoard(link: BoardLink): void {
    for (const message of boardMessages(this.strokes.values())) link.send("board", message);
  }

  message(link: BoardLink, data: string | ArrayBuffer): void {
    const message = typeof data === "string" ? parseJsonObject(data) : null;
    if (!message) return;
    if (message.t === "sync-request") {
      this.sendBoard(link);
    } else if (!this.rules.draws(link.uid)) {
      return; // turned off by a host for them: whatever they send of the board
    } else if (message.t === "remove" && typeof message.id === "string") {
      if (this.strokes.delete(message.id)) this.emit("change", { kind: "reset" });
    } else if (message.t === "clear") {
      this.strokes.clear();
      this.emit("change", { kind: "clear" });
      this.emit("activity", `${this.meeting.displayName(link.uid)} cleared the whiteboard`);
    } else if (message.t === "stroke" && typeof message.id === "string" && Array.isArray(message.pts)) {
      const pts = cleanPoints(message.pts as unknown[]);
      const stroke = this.strokes.get(message.id);
      const text = cleanText(message.text);
      if (message.text !== undefined && (!text || pts.length !== 2 || message.erase === true)) return; // not a text
      if (stroke && message.append) {
        if (stroke.text) return; // a text is one point
        const from = stroke.pts.length;
        stroke.pts.push(...pts);
        this.emit("change", { kind: "stroke", stroke, from: Math.max(0, from - 2) });
        return;
      }
      if (stroke) return; // already have it (e.g. a second sync)
      const fresh: Stroke = {
        id: message.id.slice(0, 64),
        color: cleanColor(message.color),
        width: clampWidth(message.width, 4),
        erase: message.erase === true,
        pts,
        ...(text ? { text } : {}),
      };
      this.place(fresh, typeof message.below === "string" ? message.below : null);
      this.emit("activity", `${this.meeting.displayName(link.uid)} is drawing`);
    }
  }
}

/** The id of the stroke drawn right after `id` (the one it lies under), or null. */
export function strokeAfter(strokes: ReadonlyMap<string, Stroke>, id: string): string | null {
  const ids = [...strokes.keys()];
  const at = ids.indexOf(id);
  return at >= 0 && at + 1 < ids.length ? ids[at + 1] : null;
}

/** `stroke` into `strokes` just before `below` (drawing order is the map's order). */
export function insertBefore(strokes: Map<string, Stroke>, stroke: Stroke, below: string): void {
  const entries = [...strokes.values()];
  strokes.clear();
  for (const each of entries) {
    if (each.id === below) strokes.set(stroke.id, stroke);
    if (each.id !== stroke.id) strokes.set(each.id, each);
  }
}
