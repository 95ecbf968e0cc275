/** Replies in the chat (replies.ts): the quote above a reply, and "Replying to …" above the box. */
import type { ChatRef } from "../../core/meeting/chatChannel";
import { Icon } from "../../ui/Icon";
import type { RoomSession } from "../room/session";
import type { ChatMessage } from "./chatLog";
import { messageAnchor, quoteOf, type Quote } from "./replies";

function whose(quote: Quote, session: RoomSession): string {
  if (quote.state === "unseen") return "";
  return quote.mine ? "You" : session.meeting.displayName(quote.fromUid);
}

/** The quote's words: who wrote it and an excerpt, or that it was deleted or never came here. */
export function quoteWords(quote: Quote, session: RoomSession): string {
  if (quote.state === "unseen") return "A message you did not get";
  if (quote.state === "deleted") return `${whose(quote, session)}: message deleted`;
  return `${whose(quote, session)}: ${quote.excerpt}`;
}

/** Moves to the answered message in the log (it takes the focus, for a keyboard or a reader). */
export function goTo(ref: ChatRef): void {
  const target = document.getElementById(messageAnchor(ref));
  target?.scrollIntoView({ block: "nearest" });
  target?.focus();
}

/** Above a reply: what it answers, a button to that message when this page has it. */
export function ReplyQuote({ reply, messages, session }: { reply: ChatRef; messages: readonly ChatMessage[]; session: RoomSession }) {
  const quote = quoteOf(messages, reply);
  const words = quoteWords(quote, session);
  if (quote.state === "unseen") {
    return (
      <p class="chat-quote unseen">
        <span class="visually-hidden">In reply to: </span>
        {words}
      </p>
    );
  }
  return (
    <button class="chat-quote" type="button" aria-label={`In reply to ${words}. Go to that message`} onClick={() => goTo(reply)}>
      <Icon name="reply" />
      <span>{words}</span>
    </button>
  );
}

/** Above the message box while answering a message: what, and a way not to. */
export function ReplyBar({ reply, messages, session, cancel }: { reply: ChatRef; messages: readonly ChatMessage[]; session: RoomSession; cancel: () => void }) {
  return (
    <div class="chat-replying" id="chat-replying">
      <Icon name="reply" />
      <span class="chat-replying-text">Replying to {quoteWords(quoteOf(messages, reply), session)}</span>
      <button class="chat-tool" type="button" aria-label="Cancel the reply" title="Cancel the reply" onClick={cancel}>
        <Icon name="close" />
      </button>
    </div>
  );
}
