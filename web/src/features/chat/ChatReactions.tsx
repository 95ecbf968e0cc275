/** Reactions to a chat message (reactions.ts): the chips under it and the emoji to choose from. */
import { useEffect, useRef } from "preact/hooks";
import { REACTIONS, type Emoji } from "../gestures/gestures";
import type { RoomSession } from "../room/session";
import { refOf, type ChatMessage } from "./chatLog";

function oursOf(message: ChatMessage, session: RoomSession, emoji: Emoji): boolean {
  return !!message.reactions?.find((r) => r.emoji === emoji)?.uids.includes(session.meeting.myUid);
}

/** One chip an emoji: how many, who (its name and tooltip); ours pressed, a press takes it back
 * or gives it. */
export function ReactionChips({ message, session }: { message: ChatMessage; session: RoomSession }) {
  const reactions = message.reactions ?? [];
  if (!reactions.length || message.deleted) return null;
  const me = session.meeting.myUid;
  return (
    <div class="chat-reactions">
      {reactions.map((reaction) => {
        const ours = reaction.uids.includes(me);
        const names = reaction.uids.map((uid) => (uid === me ? "you" : session.meeting.displayName(uid))).join(", ");
        return (
          <button
            key={reaction.emoji}
            type="button"
            class="chat-reaction"
            aria-pressed={ours}
            aria-label={`${reaction.emoji} ${reaction.uids.length}: ${names}`}
            title={names}
            onClick={() => session.chat.react(refOf(message), reaction.emoji, !ours)}
          >
            <span aria-hidden="true">{reaction.emoji}</span> {reaction.uids.length}
          </button>
        );
      })}
    </div>
  );
}

/** The six emoji, ours pressed; one press reacts (or takes ours back) and closes, as Escape does. */
export function ReactionPicker({ message, session, done }: { message: ChatMessage; session: RoomSession; done: () => void }) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  const onKey = (event: KeyboardEvent) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    event.stopPropagation(); // the panel stays open
    done();
  };
  return (
    <div class="chat-react-pick" role="group" aria-label="React to the message" onKeyDown={onKey}>
      {REACTIONS.map((emoji, i) => {
        const ours = oursOf(message, session, emoji);
        return (
          <button
            key={emoji}
            ref={i === 0 ? first : undefined}
            type="button"
            aria-label={`React with ${emoji}`}
            aria-pressed={ours}
            onClick={() => {
              session.chat.react(refOf(message), emoji, !ours);
              done();
            }}
          >
            {emoji}
          </button>
        );
      })}
    </div>
  );
}
