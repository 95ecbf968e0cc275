/** Chat: the log (announced politely), the addressee and the message box. */
import { useEffect, useRef, useState } from "preact/hooks";
import { saveBlob } from "../../ui/download";
import { Icon } from "../../ui/Icon";
import type { RoomSession } from "../room/session";
import type { RoomUi } from "../room/store";
import { TargetSelect } from "../room/TargetSelect";
import { chatFileName, chatText } from "./chatExport";
import { otherParty, refOf, type ChatMessage } from "./chatLog";
import { ReactionChips, ReactionPicker } from "./ChatReactions";
import { ReplyBar, ReplyQuote } from "./ChatReply";
import { ChatText } from "./ChatText";
import { useLogScroll } from "./logScroll";
import { PinnedMessage } from "./ChatPinned";
import { messageAnchor } from "./replies";
import { PERMISSIONS } from "../hosts/permissions";

/** Editing one of our messages in place: Enter (or Save) sends the new text, Escape (or Cancel)
 * leaves it as it was. */
function ChatEdit({ message, session, done }: { message: ChatMessage; session: RoomSession; done: () => void }) {
  const [text, setText] = useState(message.text);
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    box.current?.focus();
    box.current?.select();
  }, []);
  const save = (event?: Event) => {
    event?.preventDefault();
    if (text.trim() === message.text || session.chat.edit(message.id, text)) done();
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation(); // the panel stays open
      done();
    } else if (event.key === "Enter" && !event.shiftKey && !event.isComposing) save(event);
  };
  return (
    <form class="chat-edit" onSubmit={save}>
      <textarea ref={box} rows={2} maxLength={4000} aria-label="Edit message" value={text} onInput={(event) => setText(event.currentTarget.value)} onKeyDown={onKey} />
      <div class="chat-edit-actions">
        <button class="btn btn-ghost btn-small" type="button" onClick={done}>
          Cancel
        </button>
        <button class="btn btn-primary btn-small" type="submit" disabled={!text.trim()}>
          Save
        </button>
      </div>
    </form>
  );
}

/** Pin or unpin a message to everyone (a host's or co-host's). */
function PinTool({ message, session }: { message: ChatMessage; session: RoomSession }) {
  const pinned = session.pin.isPinned(message);
  const label = pinned ? "Unpin the message" : "Pin for everyone";
  return (
    <button class="chat-tool" type="button" title={label} aria-label={label} aria-pressed={pinned} onClick={() => (pinned ? session.pin.unpin() : session.pin.pin(message))}>
      <Icon name="pin" />
    </button>
  );
}

/** One message, read as "Bob, 9:22 PM: Hi Alice!" (the punctuation is for screen readers only);
 * a reply has the quote of what it answers above its text. */
function ChatEntry({ message, session, ui }: { message: ChatMessage; session: RoomSession; ui: RoomUi }) {
  const [editing, setEditing] = useState(false);
  const [picking, setPicking] = useState(false);
  const reactButton = useRef<HTMLButtonElement>(null);
  const picked = () => {
    setPicking(false);
    reactButton.current?.focus(); // the chosen emoji's button goes: the focus goes back whence it came
  };
  const to = message.private ? (message.mine ? ` → ${session.meeting.displayName(message.toUid ?? "")} (private)` : " → you (private)") : "";
  const at = new Date(message.at);
  const classes = ["chat-message", message.mine ? "mine" : "", message.private ? "private" : ""].filter(Boolean).join(" ");
  const ours = message.mine && !message.deleted;
  const reply = () => {
    ui.chatReply.value = refOf(message);
    ui.chatTo.value = otherParty(message) ?? ""; // a reply goes where the message went
    document.getElementById("chat-input")?.focus();
  };
  return (
    <li class={classes} data-from={message.fromUid} id={messageAnchor(refOf(message))} tabIndex={-1}>
      <div class="chat-meta">
        <span class="chat-from">{message.mine ? "You" : message.fromName}</span>
        <span class="chat-to">{to}</span>
        <span class="visually-hidden">, </span>
        <time dateTime={at.toISOString()}>{at.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" })}</time>
        {message.edited && !message.deleted ? <span class="chat-edited">(edited)</span> : null}
        <span class="visually-hidden">: </span>
        {!message.deleted ? (
          <>
            <button class="chat-tool" type="button" title="Reply" aria-label="Reply" onClick={reply}>
              <Icon name="reply" />
            </button>
            <button ref={reactButton} class="chat-tool" type="button" title="React" aria-label="React" aria-expanded={picking} onClick={() => setPicking(!picking)}>
              <Icon name="smile" />
            </button>
          </>
        ) : null}
        {ours && !editing ? (
          <button class="chat-tool" type="button" title="Edit" aria-label="Edit message" onClick={() => setEditing(true)}>
            <Icon name="pen" />
          </button>
        ) : null}
        {session.pin.mayPin && !message.private && !message.deleted ? <PinTool message={message} session={session} /> : null}
        {ours ? (
          <button class="chat-tool" type="button" title="Delete for everyone" aria-label="Delete for everyone" onClick={() => session.chat.unsend(message.id)}>
            <Icon name="trash" />
          </button>
        ) : null}
      </div>
      {message.reply && !message.deleted ? <ReplyQuote reply={message.reply} messages={session.chat.messages.value} session={session} /> : null}
      {message.deleted ? (
        <p class="chat-text chat-deleted">Message deleted</p>
      ) : editing ? (
        <ChatEdit message={message} session={session} done={() => setEditing(false)} />
      ) : (
        <ChatText text={message.text} />
      )}
      {picking && !message.deleted ? <ReactionPicker message={message} session={session} done={picked} /> : null}
      <ReactionChips message={message} session={session} />
    </li>
  );
}

/** The chat as this browser saw it, to a text file on this device. */
function saveChat(session: RoomSession): void {
  const { meeting } = session;
  const clock = (at: number) => new Date(at).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
  const of = (uid: string) => (uid === meeting.myUid ? "you" : meeting.displayName(uid));
  const text = chatText(session.chat.messages.peek(), meeting, { of, clock }, session.pin.shown.peek());
  saveBlob(new Blob([text], { type: "text/plain;charset=utf-8" }), chatFileName(meeting.meetingId, new Date()));
}

export function ChatPanel(props: { session: RoomSession; ui: RoomUi }) {
  const { session, ui } = props;
  const messages = session.chat.messages.value;
  const log = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const form = useRef<HTMLFormElement>(null);
  // The newest message in view while the person is at the end (one's own always), also when
  // the pinned message takes room above; reading further up, what comes is counted instead.
  const scroll = useLogScroll(log, messages.length, !!messages.at(-1)?.mine, !!session.pin.shown.value);
  useEffect(() => input.current?.focus(), []);
  // Turned off by a host: only private messages to those who run the meeting go. The roster is
  // read here so that a new co-host's name becomes writable at once.
  void session.meeting.roster.value;
  const chatOff = session.hosting.heldForMe.value.includes("chat");
  const writable = !chatOff || session.chat.mayWrite(session.addressee(ui.chatTo.value));

  const replying = ui.chatReply.value;
  const cancelReply = () => {
    ui.chatReply.value = null;
    input.current?.focus();
  };
  const send = (event: Event) => {
    event.preventDefault();
    if (session.chat.send(ui.chatDraft.peek(), session.addressee(ui.chatTo.peek()), ui.chatReply.peek() ?? undefined)) {
      ui.chatDraft.value = "";
      ui.chatReply.value = null;
    }
    input.current?.focus();
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === "Escape" && ui.chatReply.peek()) {
      event.preventDefault();
      event.stopPropagation(); // the reply goes, the panel stays
      cancelReply();
    } else if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.current?.requestSubmit();
    }
  };
  return (
    <div class="pane chat-pane">
      <div class="chat-head">
        <p class="muted small">Messages go straight to the others' browsers and are not stored anywhere.</p>
        <button class="btn btn-ghost btn-small" type="button" disabled={!messages.length && !session.pin.shown.value} onClick={() => saveChat(session)}>
          <Icon name="download" />
          Save the chat
        </button>
      </div>
      <PinnedMessage session={session} />
      <div class="chat-log-frame">
        <div ref={log} class="chat-log" role="log" aria-live="polite" aria-label="Chat messages" tabIndex={0} onScroll={scroll.onScroll}>
          <ul class="chat-list">
            {messages.map((message) => (
              <ChatEntry key={`${message.fromUid}/${message.id}`} message={message} session={session} ui={ui} />
            ))}
          </ul>
        </div>
        {scroll.unseen > 0 ? (
          <button class="chat-jump btn btn-primary btn-small" type="button" onClick={scroll.toEnd}>
            {scroll.unseen === 1 ? "1 new message" : `${scroll.unseen} new messages`} ↓
          </button>
        ) : null}
      </div>
      <form ref={form} class="chat-form" onSubmit={send}>
        {chatOff ? (
          <p class="chat-off muted small" id="chat-off">
            {PERMISSIONS.chat.off}
          </p>
        ) : null}
        <div class="field inline">
          <label for="chat-to">To</label>
          <TargetSelect id="chat-to" label="Send the message to" session={session} value={ui.chatTo} />
        </div>
        {replying ? <ReplyBar reply={replying} messages={messages} session={session} cancel={cancelReply} /> : null}
        <div class="chat-compose">
          <textarea
            ref={input}
            id="chat-input"
            rows={2}
            maxLength={4000}
            placeholder="Message"
            aria-label="Message"
            aria-describedby={replying ? "chat-replying" : undefined}
            value={ui.chatDraft.value}
            onInput={(event) => (ui.chatDraft.value = event.currentTarget.value)}
            onKeyDown={onKey}
          />
          <button class="btn btn-primary" type="submit" aria-label="Send message" disabled={!writable} aria-describedby={chatOff ? "chat-off" : undefined}>
            <Icon name="send" />
          </button>
        </div>
      </form>
    </div>
  );
}
