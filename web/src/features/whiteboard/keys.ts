/**
 * The whiteboard's keys, for the "Keyboard shortcuts" dialog: what canvas.ts and selectTool.ts
 * do with them while the whiteboard has the focus. Kept apart from those (lazy-loaded) modules so
 * that the dialog does not load the canvas; read and change them together.
 */
import type { Shortcut } from "../room/shortcuts";

export const BOARD_SHORTCUTS: readonly Shortcut[] = [
  { keys: "Ctrl+Z", does: "Undo your last step on the whiteboard" },
  { keys: "Ctrl+Shift+Z", does: "Redo it (Ctrl+Y too)" },
  { keys: "N, Shift+N", does: "With Select: select the topmost item, then each one under it (Shift: back up)" },
  { keys: "Ctrl+A", does: "With Select: select everything on the whiteboard" },
  { keys: "Shift+click", does: "With Select: add an item to what is selected, or take it out (a box dragged from an empty spot selects what it touches)" },
  { keys: "Arrow keys", does: "Move what is selected (with Shift: ten times as far)" },
  { keys: "Ctrl+C, Ctrl+V", does: "Copy what is selected, and paste a copy beside it (Ctrl+X: cut)" },
  { keys: "Enter", does: "Edit the selected text" },
  { keys: "Delete", does: "Delete what is selected, for everyone (Backspace too)" },
  { keys: "Escape", does: "Let go of what is selected" },
  { keys: "Shift+drag", does: "Draw a shape as a square or a circle" },
];
