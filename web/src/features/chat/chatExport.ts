/**
 * "Save the chat": the messages this browser saw, as a text file kept on this device (the chat
 * itself is stored nowhere). Pure.
 */
import type { ChatMessage } from "./chatLog";
import type { PinnedView } from "./pins";
import { reactionsLine } from "./reactions";
import { quoteOf } from "./replies";

/** One message a line: "[09:22] Bob: Hi", private ones marked; later lines of a message indented;
 * a reply's quote and a message's reactions on the lines under it; the pinned message first. */
export function chatText(
  messages: readonly ChatMessage[],
  meeting: { title: string | null; meetingId: string },
  names: { of: (uid: string) => string; clock: (at: number) => string },
  pinned: PinnedView | null = null,
): string {
  const title = meeting.title ? `"${meeting.title}" (${meeting.meetingId})` : meeting.meetingId;
  const lines = [`Chat of the meeting ${title}, as this browser received it.`, ""];
  if (pinned) {
    const [first, ...rest] = pinned.text.split(/\r?\n/);
    lines.push(`Pinned by ${names.of(pinned.by)} (${names.of(pinned.ref.uid)} wrote): ${first}`, ...rest.map((line) => `  ${line}`), "");
  }
  for (const m of messages) {
    const to = m.private ? (m.mine ? ` → ${names.of(m.toUid ?? "")} (private)` : " → you (private)") : "";
    const [first, ...rest] = m.deleted ? ["(message deleted)"] : `${m.text}${m.edited ? " (edited)" : ""}`.split(/\r?\n/);
    lines.push(`[${names.clock(m.at)}] ${m.mine ? "You" : m.fromName}${to}: ${first}`, ...rest.map((line) => `  ${line}`));
    if (m.reply && !m.deleted) lines.push(`  (in reply to ${quoted(messages, m.reply, names.of)})`);
    if (m.reactions?.length && !m.deleted) lines.push(`  (reactions: ${reactionsLine(m.reactions)})`);
  }
  return `${lines.join("\n")}\n`;
}

function quoted(messages: readonly ChatMessage[], reply: NonNullable<ChatMessage["reply"]>, of: (uid: string) => string): string {
  const quote = quoteOf(messages, reply);
  if (quote.state === "unseen") return "a message this browser did not get";
  const who = quote.mine ? "you" : of(quote.fromUid);
  return quote.state === "deleted" ? `${who}: a deleted message` : `${who}: "${quote.excerpt}"`;
}

export function chatFileName(meetingId: string, at: Date): string {
  return `avmeets-chat-${meetingId}-${at.toISOString().slice(0, 19).replace(/[:T]/g, "-")}.txt`;
}
