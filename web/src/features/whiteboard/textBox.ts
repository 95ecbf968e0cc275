/**
 * The whiteboard's text tool: a box over the canvas where the person clicked, in the chosen
 * colour and size (or over a text being edited, with its words). Enter or leaving the box puts the text on the board (Board.text), Shift+Enter
 * starts a new line (up to MAX_TEXT_LINES), Escape drops it. The box shows the text as the board
 * will draw it (textFont, TEXT_LINE_HEIGHT, no wrapping), so nothing moves when it lands.
 */
import { h } from "../../ui/dom";
import { MAX_TEXT, MAX_TEXT_LINES } from "./strokes";

/** A text's height in pixels on a canvas `canvasWidth` pixels wide, for a size (a stroke's
 * `width`, thousandths of the board's width: the pen's sizes give small, medium and large). */
export function textPixels(size: number, canvasWidth: number): number {
  return Math.max(6, (size * 4 * canvasWidth) / 1000);
}

/** A text's line spacing, in its heights. */
export const TEXT_LINE_HEIGHT = 1.2;

/** The canvas font of a text of `pixels` height. */
export function textFont(pixels: number): string {
  return `${Math.round(pixels)}px system-ui, sans-serif`;
}

export interface TextPlace {
  /** The click, in CSS pixels from the canvas's top left. */
  left: number;
  top: number;
  color: string;
  /** Height in CSS pixels. */
  pixels: number;
  /** The text already there (editing one on the board). */
  value?: string;
}

/** Opens the box; `done` gets the text typed (null: dropped), once. Returns a function that
 * closes it as if left (the tool changed, drawing turned off). */
export function openTextBox(canvas: HTMLCanvasElement, place: TextPlace, done: (text: string | null) => void): () => void {
  const input = h("textarea", {
    class: "board-text",
    rows: "1",
    wrap: "off",
    maxlength: String(MAX_TEXT),
    "aria-label": "Text for the whiteboard (Enter puts it on the board, Shift+Enter starts a new line, Escape drops it)",
  });
  const frame = canvas.parentElement!;
  const box = canvas.getBoundingClientRect();
  const outer = frame.getBoundingClientRect();
  input.style.left = `${box.left - outer.left + place.left}px`;
  input.style.top = `${box.top - outer.top + place.top}px`;
  input.style.color = place.color;
  input.style.font = textFont(place.pixels);
  input.style.lineHeight = String(TEXT_LINE_HEIGHT);
  const lines = () => input.value.split("\n").length;
  if (place.value) {
    input.value = place.value;
    input.rows = Math.min(lines(), MAX_TEXT_LINES);
  }
  input.addEventListener("input", () => (input.rows = Math.min(lines(), MAX_TEXT_LINES)));
  let over = false;
  const finish = (keep: boolean) => {
    if (over) return;
    over = true;
    const text = input.value;
    input.remove();
    done(keep ? text : null);
  };
  input.addEventListener("keydown", (event) => {
    event.stopPropagation(); // Ctrl+Z in the box undoes typing, not a stroke
    if (event.isComposing) return; // Enter or Escape then belongs to the input method
    if (event.key === "Enter" && (!event.shiftKey || lines() >= MAX_TEXT_LINES)) {
      event.preventDefault(); // not a line break in the box
      if (!event.shiftKey) finish(true);
    } else if (event.key === "Escape") finish(false);
  });
  input.addEventListener("blur", () => finish(true));
  frame.appendChild(input);
  // After the pointer's own focus handling, which would otherwise take the focus back.
  setTimeout(() => input.focus(), 0);
  return () => finish(true);
}
