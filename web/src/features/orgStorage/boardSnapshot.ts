/** "Save board" and the snapshot at leave: the whiteboard as PNG (canvas.ts, lazy) to the organisation's store. */
import type { Board } from "../whiteboard/board";
import type { OrgStorage } from "./orgStorage";

export function boardFileName(meetingId: string, at: Date): string {
  return `whiteboard-${meetingId}-${at.toISOString().slice(0, 19).replace(/[:T]/g, "-")}.png`;
}

/** Upload a snapshot of the board when the organisation stores our whiteboard and it has
 * strokes; at leave (`quiet`) not when the board may hold strokes of a non-member. */
export async function saveBoard(org: OrgStorage, board: Board, meetingId: string, quiet = false): Promise<void> {
  if (!org.stores("whiteboard") || board.isEmpty) return;
  if (quiet && org.notStored("whiteboard").length) return;
  const { boardPng } = await import("../whiteboard/canvas");
  await org.upload("whiteboard", boardFileName(meetingId, new Date()), await boardPng(board));
}
