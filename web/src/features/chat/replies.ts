/**
 * Replies: a message names the one it answers ({uid, id}: chatChannel.ts) and each page quotes
 * it from its own log. The quoted text never travels: someone who did not get the message (a
 * private one, or one sent before they joined) sees that they did not, not its words. Pure.
 */
import type { ChatRef } from "../../core/meeting/chatChannel";

/** The quote's longest excerpt, in characters. */
export const EXCERPT_LENGTH = 80;

export interface QuotedMessage {
  id: string;
  fromUid: string;
  text: string;
  mine: boolean;
  deleted?: boolean;
}

/** What a reply shows of the message it answers. */
export type Quote =
  | { state: "shown"; fromUid: string; mine: boolean; excerpt: string }
  | { state: "deleted"; fromUid: string; mine: boolean }
  | { state: "unseen" };

/** One line of at most `length` characters: white space collapsed, cut at a word with "…". */
export function excerpt(text: string, length = EXCERPT_LENGTH): string {
  const line = text.replace(/\s+/g, " ").trim();
  if (line.length <= length) return line;
  const cut = line.slice(0, length - 1);
  // A word that ends right at the cut stays; one the cut goes through goes, unless it is long.
  const space = line[length - 1] === " " ? cut.length : cut.lastIndexOf(" ");
  return `${(space > length / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Whether `message` is the one `ref` names (its sender and that sender's id for it). */
export function refersTo(ref: ChatRef, message: { id: string; fromUid: string }): boolean {
  return message.id === ref.id && message.fromUid === ref.uid;
}

export function quoteOf(messages: readonly QuotedMessage[], ref: ChatRef): Quote {
  const original = messages.find((m) => refersTo(ref, m));
  if (!original) return { state: "unseen" };
  if (original.deleted) return { state: "deleted", fromUid: original.fromUid, mine: original.mine };
  return { state: "shown", fromUid: original.fromUid, mine: original.mine, excerpt: excerpt(original.text) };
}

/** The element id of a message in the chat log (a quote leads there). */
export function messageAnchor(ref: ChatRef): string {
  return `chat-${ref.uid}-${ref.id}`.replace(/[^A-Za-z0-9_-]/g, "_");
}
