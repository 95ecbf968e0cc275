/** The pinned message above the chat (pins.ts): who pinned it, its words (links live), a way to
 * the message when this page has it, and Unpin for those who run the meeting. */
import { Icon } from "../../ui/Icon";
import type { RoomSession } from "../room/session";
import { goTo } from "./ChatReply";
import { ChatText } from "./ChatText";

export function PinnedMessage({ session }: { session: RoomSession }) {
  const pinned = session.pin.shown.value;
  void session.meeting.roster.value; // names and who runs the meeting, as they change
  if (!pinned) return null;
  const name = (uid: string) => (uid === session.meeting.myUid ? "You" : session.name(uid));
  return (
    <section class="chat-pinned" aria-label="Pinned message">
      <Icon name="pin" />
      <div class="chat-pinned-body">
        <p class="chat-pinned-by">
          Pinned by {name(pinned.by)} · {name(pinned.ref.uid)} wrote:
        </p>
        <ChatText text={pinned.text} />
      </div>
      <div class="chat-pinned-tools">
        {pinned.inLog ? (
          <button class="chat-tool" type="button" title="Go to the message" aria-label="Go to the pinned message" onClick={() => goTo(pinned.ref)}>
            <Icon name="reply" />
          </button>
        ) : null}
        {session.pin.mayPin ? (
          <button class="chat-tool" type="button" title="Unpin" aria-label="Unpin the message" onClick={() => session.pin.unpin()}>
            <Icon name="close" />
          </button>
        ) : null}
      </div>
    </section>
  );
}
