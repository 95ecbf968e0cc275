/**
 * Reactions to chat messages: who reacted with which emoji (the stage's REACTIONS), kept with the
 * message on each page from the "reaction" messages it received. Pure.
 */
import { REACTIONS, type Emoji } from "../gestures/gestures";

export interface MessageReaction {
  emoji: Emoji;
  /** Who reacted so, in the order they did. */
  uids: readonly string[];
}

export function isReaction(emoji: string): emoji is Emoji {
  return (REACTIONS as readonly string[]).includes(emoji);
}

/** `reactions` with `uid`'s `emoji` given (on) or taken back; an emoji nobody keeps goes. */
export function withReaction(reactions: readonly MessageReaction[], uid: string, emoji: Emoji, on: boolean): readonly MessageReaction[] {
  const found = reactions.find((r) => r.emoji === emoji);
  if (on) {
    if (found?.uids.includes(uid)) return reactions;
    return found ? reactions.map((r) => (r === found ? { emoji, uids: [...r.uids, uid] } : r)) : [...reactions, { emoji, uids: [uid] }];
  }
  if (!found?.uids.includes(uid)) return reactions;
  const uids = found.uids.filter((u) => u !== uid);
  return uids.length ? reactions.map((r) => (r === found ? { emoji, uids } : r)) : reactions.filter((r) => r !== found);
}

/** "👍 2, ❤️ 1": the reactions in a line (a saved chat). */
export function reactionsLine(reactions: readonly MessageReaction[]): string {
  return reactions.map((r) => `${r.emoji} ${r.uids.length}`).join(", ");
}
