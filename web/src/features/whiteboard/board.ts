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
 *   {t:"move", id, dx, dy}                                             move stroke id (to the top)
 *   {t:"edit", id, text}                                               a text's new words
 *   {t:"style", id, color, width}                                      a stroke's new colour and size
 *   {t:"clear"}                                                        wipe the board
 *   {t:"remove", id}                                                   take stroke id off
 *   {t:"sync-request"}                                                 newcomer asks one peer for the board
 *
 * A newcomer (the caller of its connections) asks the first peer whose board channel opens; that
 * peer answers with the whole board as stroke messages. Anyone who may draw may move, edit,
 * restyle or delete any stroke (selection.ts finds it), as they may clear the board. Undo and
 * redo replay only our own steps (a stroke drawn, moved, edited, restyled or deleted), each as
 * the step that reverses it: a stroke taken off goes back where it was among the others (under the stroke that followed
 * it, an eraser's included); a step on a stroke someone else has since taken off is skipped. The
 * canvas UI is lazy-loaded (whiteboard.ts).
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
import { History } from "./history";
import { clampMove, movePoints } from "./selection";
import { boardMessages, clampPoint, clampWidth, cleanColor, cleanPoints, cleanText, insertBefore, MAX_POINTS_PER_MESSAGE, strokeAfter, strokeId, type Stroke } from "./strokes";

export type { Stroke } from "./strokes";

export type BoardChange =
  | { kind: "stroke"; stroke: Stroke; from: number }
  | { kind: "clear" }
  | { kind: "reset" };

type BoardEvents = { change: BoardChange; activity: string };

/** One of our own steps as undo and redo replay it; running one gives the step that reverses it.
 * A move takes strokes together (cut to the board as one); `many`: steps done as one. */
type Step =
  | { kind: "put"; stroke: Stroke; below: string | null }
  | { kind: "take"; id: string }
  | { kind: "move"; ids: readonly string[]; dx: number; dy: number; nudge?: boolean }
  | { kind: "edit"; id: string; text: string }
  | { kind: "style"; id: string; color: string; width: number }
  | { kind: "many"; steps: readonly Step[] };

/** One stroke's id, or several. */
type Ids = string | readonly string[];
const idsOf = (ids: Ids): readonly string[] => (typeof ids === "string" ? [ids] : ids);

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

/** A received number, 0 for anything else. */
const finite = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

const OPEN: BoardRules = { draws: () => true, drawingOff: signal(false) };

export class Board extends Emitter<BoardEvents> implements ChannelProtocol {
  readonly label = "board";
  readonly strokes = new Map<string, Stroke>();
  private askedForSync = false;
  private readonly history = new History<Step>(
    (step) => this.run(step),
    (step) => this.applies(step),
  );

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
    return this.mayDraw && this.history.canUndo;
  }

  get canRedo(): boolean {
    return this.mayDraw && this.history.canRedo;
  }

  /** Reverse our last step that still can be, for everyone. */
  undo(): void {
    if (this.mayDraw) this.history.undo();
  }

  /** Do again our last step undone, for everyone. */
  redo(): void {
    if (this.mayDraw) this.history.redo();
  }

  private did(reverse: Step | null): void {
    this.history.did(reverse);
  }

  /** Whether `step` can be done now: a stroke put back that is not there, or a stroke there to
   * take off (an eraser's too: our own undo takes it), or to move, edit or restyle (not an
   * eraser's; only a text edited). */
  private applies(step: Step): boolean {
    if (step.kind === "many") return step.steps.some((one) => this.applies(one));
    if (step.kind === "move") return step.ids.some((id) => this.strokes.get(id)?.erase === false);
    const stroke = this.strokes.get(step.kind === "put" ? step.stroke.id : step.id);
    if (step.kind === "put") return !stroke;
    if (!stroke || step.kind === "take") return !!stroke;
    return !stroke.erase && (step.kind !== "edit" || !!stroke.text);
  }

  /** Does `step` on our board and everyone's; returns the step that reverses it, or null when
   * it does not apply (the stroke gone, or already there; nothing to move or change). */
  private run(step: Step): Step | null {
    if (!this.applies(step)) return null;
    if (step.kind === "many") {
      const reverses = step.steps.map((one) => this.run(one)).filter((one): one is Step => one !== null);
      return reverses.length ? { kind: "many", steps: reverses.reverse() } : null;
    }
    if (step.kind === "move") return this.moveStrokes(step.ids, step.dx, step.dy);
    if (step.kind === "put") {
      const { stroke, below } = step;
      const messages = boardMessages([stroke]);
      if (below) messages[0] = JSON.stringify({ ...JSON.parse(messages[0]), below });
      for (const message of messages) for (const link of this.meeting.links.values()) link.send("board", message);
      this.place(stroke, below);
      return { kind: "take", id: stroke.id };
    }
    const stroke = this.strokes.get(step.id)!;
    if (step.kind === "take") {
      const below = strokeAfter(this.strokes, stroke.id);
      this.strokes.delete(stroke.id);
      this.broadcast({ t: "remove", id: stroke.id });
      this.emit("change", { kind: "reset" });
      return { kind: "put", stroke, below };
    }
    if (step.kind === "style") {
      const styled = this.restyleStroke(stroke, step.color, step.width);
      if (!styled) return null;
      this.broadcast({ t: "style", id: stroke.id, color: styled.color, width: styled.width });
      return { kind: "style", id: stroke.id, color: stroke.color, width: stroke.width };
    }
    const edited = this.editStroke(stroke, step.text);
    if (!edited) return null;
    this.broadcast({ t: "edit", id: stroke.id, text: edited.text });
    return { kind: "edit", id: stroke.id, text: stroke.text! };
  }

  /** A stroke (not an eraser's) in a new colour and size, cleaned, in its place; null when that
   * changes nothing. */
  private restyleStroke(stroke: Stroke, color: unknown, width: unknown): Stroke | null {
    const styled = { ...stroke, color: cleanColor(color), width: clampWidth(width, stroke.width) };
    if (stroke.erase || (styled.color === stroke.color && styled.width === stroke.width)) return null;
    return this.replace(styled);
  }

  /** A text's new words, cleaned, in its place; null for a stroke without text, or when nothing
   * is left of them or they are the same. */
  private editStroke(stroke: Stroke, words: unknown): Stroke | null {
    const text = cleanText(words);
    return stroke.text && text && text !== stroke.text ? this.replace({ ...stroke, text }) : null;
  }

  private replace(stroke: Stroke): Stroke {
    this.strokes.set(stroke.id, stroke);
    this.emit("change", { kind: "reset" });
    return stroke;
  }

  /** Moves a stroke by (dx, dy), cut to the board, to the top of the drawing (so that no eraser
   * drawn after it rubs it out where it lands); returns the move made. */
  private moveStroke(stroke: Stroke, dx: number, dy: number): [number, number] {
    const [x, y] = clampMove(stroke.pts, dx, dy);
    if (!x && !y) return [0, 0];
    this.strokes.delete(stroke.id);
    this.strokes.set(stroke.id, { ...stroke, pts: movePoints(stroke.pts, x, y) });
    this.emit("change", { kind: "reset" });
    return [x, y];
  }

  /** Strokes (not erasers') moved together by (dx, dy), cut so that all stay on the board, each
   * sent as its own move in board order; the step reversing it, or null when nothing moves. */
  private moveStrokes(ids: readonly string[], dx: number, dy: number): Step | null {
    const wanted = new Set(ids);
    const strokes = [...this.strokes.values()].filter((s) => wanted.has(s.id) && !s.erase);
    const [x, y] = clampMove(strokes.flatMap((s) => s.pts), dx, dy);
    if (!x && !y) return null;
    for (const stroke of strokes) {
      this.moveStroke(stroke, x, y);
      this.broadcast({ t: "move", id: stroke.id, dx: x, dy: y });
    }
    return { kind: "move", ids: strokes.map((s) => s.id), dx: -x, dy: -y };
  }

  /** Move strokes by (dx, dy) board points together, for everyone: one step. `nudge`: one of a
   * run of small moves (the arrow keys) of the same strokes, undone together. */
  move(ids: Ids, dx: number, dy: number, nudge = false): void {
    if (!this.mayDraw) return;
    const reverse = this.run({ kind: "move", ids: idsOf(ids), dx, dy });
    const last = this.history.last();
    if (nudge && reverse?.kind === "move" && last?.kind === "move" && last.nudge && last.ids.join() === reverse.ids.join()) {
      last.dx += reverse.dx;
      last.dy += reverse.dy;
      this.history.forgetRedo();
    } else this.did(reverse && { ...reverse, ...(nudge ? { nudge } : {}) });
  }

  /** New words for text `id`, for everyone; none at all deletes it. */
  edit(id: string, text: string): void {
    if (!this.mayDraw) return;
    if (cleanText(text) === null) this.delete(id);
    else this.did(this.run({ kind: "edit", id, text }));
  }

  /** A new colour or size (undefined: each keeps its own) for strokes, for everyone: one step. */
  style(ids: Ids, color: string | undefined, width: number | undefined): void {
    const strokes = idsOf(ids).flatMap((id) => this.strokes.get(id) ?? []);
    const steps = strokes.map((s): Step => ({ kind: "style", id: s.id, color: color ?? s.color, width: width ?? s.width }));
    if (this.mayDraw) this.did(this.run({ kind: "many", steps }));
  }

  /** Copies of `copied` (anyone's; erasers': none) moved by (dx, dy), drawn as ours for
   * everyone, on top, in their order: one undo takes them off. None when we may not draw. */
  paste(copied: readonly Stroke[], dx: number, dy: number): Stroke[] {
    if (!this.mayDraw) return [];
    const strokes = copied.filter((s) => !s.erase).map((s): Stroke => ({ ...s, id: strokeId(), pts: movePoints(s.pts, dx, dy).map(clampPoint) }));
    this.did(this.run({ kind: "many", steps: strokes.map((stroke) => ({ kind: "put", stroke, below: null })) }));
    return strokes;
  }

  /** Take strokes off the board, for everyone (anyone's: no more than clearing): one step. */
  delete(ids: Ids): void {
    if (this.mayDraw) this.did(this.run({ kind: "many", steps: idsOf(ids).map((id) => ({ kind: "take", id })) }));
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
      id: strokeId(),
      color: cleanColor(color),
      width: clampWidth(width, 1),
      erase,
      pts: cleanPoints(pts),
      ...(text ? { text } : {}),
    };
    this.strokes.set(stroke.id, stroke);
    this.did({ kind: "take", id: stroke.id });
    this.broadcast({ t: "stroke", ...stroke });
    this.emit("change", { kind: "stroke", stroke, from: 0 });
    return stroke;
  }

  extend(drawn: Stroke, points: number[]): void {
    if (!points.length || !this.mayDraw) return;
    // The stroke as the board has it now: someone may have moved or restyled it meanwhile.
    const stroke = this.strokes.get(drawn.id) ?? drawn;
    const from = stroke.pts.length;
    const clean = points.map(clampPoint);
    stroke.pts.push(...clean);
    this.broadcast({ t: "stroke", id: stroke.id, color: stroke.color, width: stroke.width, erase: stroke.erase, pts: clean, append: true });
    this.emit("change", { kind: "stroke", stroke, from: Math.max(0, from - 2) });
  }

  clear(): void {
    if (!this.mayDraw) return;
    this.strokes.clear();
    this.history.clear();
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
    } else if (message.t === "move" && typeof message.id === "string") {
      const stroke = this.strokes.get(message.id);
      if (stroke && !stroke.erase && this.moveStroke(stroke, finite(message.dx), finite(message.dy)).some(Boolean)) {
        this.emit("activity", `${this.meeting.displayName(link.uid)} is drawing`);
      }
    } else if (message.t === "style" && typeof message.id === "string") {
      const stroke = this.strokes.get(message.id);
      if (stroke && this.restyleStroke(stroke, message.color, message.width)) this.emit("activity", `${this.meeting.displayName(link.uid)} is drawing`);
    } else if (message.t === "edit" && typeof message.id === "string") {
      const stroke = this.strokes.get(message.id);
      if (stroke && this.editStroke(stroke, message.text)) this.emit("activity", `${this.meeting.displayName(link.uid)} is drawing`);
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
