/**
 * Group and private chat over the peers' "chat" channels (core/meeting/chatChannel.ts). A private
 * message goes only on its addressee's channel. Nothing of it reaches the server.
 */
import { signal } from "@preact/signals-core";
import { Emitter } from "../../core/state/emitter";
import { encodeChat, encodeEdit, encodeReaction, encodeUnsend, MAX_CHAT_LENGTH, randomId, type ChatRef } from "../../core/meeting/chatChannel";
import type { IncomingChat, Meeting } from "../../core/meeting/meeting";
import type { Emoji } from "../gestures/gestures";
import { OPEN_RULES, PERMISSIONS, type MessageRules } from "../hosts/permissions";
import { isReaction, withReaction, type MessageReaction } from "./reactions";
import { refersTo } from "./replies";

export interface ChatMessage {
  id: string;
  fromUid: string;
  fromName: string;
  text: string;
  at: number;
  /** Private messages went only to (or came only from) one participant's channel. */
  private: boolean;
  toUid?: string;
  mine: boolean;
  /** Its sender deleted it for everyone: the text is gone. */
  deleted?: boolean;
  /** Its sender changed its text (when it was sent: `at`). */
  edited?: boolean;
  /** The message it answers (replies.ts quotes it from this log). */
  reply?: ChatRef;
  /** Who reacted with which emoji (reactions.ts), as this page heard. */
  reactions?: readonly MessageReaction[];
}

const NO_REACTIONS: readonly MessageReaction[] = [];

/** How other messages name this one (a reply, a reaction, its place in the log). */
export function refOf(message: ChatMessage): ChatRef {
  return { uid: message.fromUid, id: message.id };
}

/** The one a private message is between us and; null for a message to everyone. */
export function otherParty(message: ChatMessage): string | null {
  if (!message.private) return null;
  return (message.mine ? message.toUid : message.fromUid) ?? null;
}

/** `unsent`: one of ours we deleted for everyone, as it was (its text for the archiver);
 * `edited`: one of ours we edited, as it was before and as it is now. */
type ChatEvents = { message: ChatMessage; notice: string; unsent: ChatMessage; edited: { before: ChatMessage; after: ChatMessage } };


export class ChatLog extends Emitter<ChatEvents> {
  readonly messages = signal<readonly ChatMessage[]>([]);

  constructor(
    private readonly meeting: Meeting,
    /** What the meeting's hosts allow of the chat (features/hosts/permissions.ts). */
    private readonly rules: MessageRules = OPEN_RULES,
  ) {
    super();
    meeting.on("chat", (incoming) => this.receive(incoming));
  }

  private receive({ link, message }: IncomingChat): void {
    if (message.t === "unsend") {
      // Only its sender deletes a message: one from this connection, with this id.
      const entry = this.shown(link.uid, message.id);
      if (entry) this.markDeleted(entry);
      return;
    }
    if (message.t === "reaction") {
      // Anyone the message went to reacts as themselves (the connection's uid), as the hosts'
      // rules would let them write; to a private message, only its other party.
      const entry = this.find(message.ref);
      if (!entry || !isReaction(message.emoji) || (entry.private && otherParty(entry) !== link.uid)) return;
      if (this.rules.accepts(link.uid, entry.private ? "private" : "all")) this.setReaction(entry, link.uid, message.emoji, message.on);
      return;
    }
    if (message.t === "edit") {
      // As a deletion: only its sender edits a message, and an edit is new text, which the
      // hosts' rules must let through as they would the message.
      const text = message.text.trim().slice(0, MAX_CHAT_LENGTH);
      const entry = this.shown(link.uid, message.id);
      if (entry && text && this.rules.accepts(link.uid, entry.private ? "private" : "all")) this.replace(entry, text);
      return;
    }
    const text = message.text.slice(0, MAX_CHAT_LENGTH);
    if (!text.trim() || !this.rules.accepts(link.uid, message.scope)) return;
    const entry: ChatMessage = {
      id: message.id ?? randomId(),
      fromUid: link.uid,
      fromName: this.meeting.displayName(link.uid),
      text,
      at: Date.now(),
      private: message.scope === "private",
      toUid: message.scope === "private" ? this.meeting.myUid : undefined,
      mine: false,
      reply: message.reply,
    };
    if (this.messages.peek().some((m) => refersTo(refOf(entry), m))) return;
    this.add(entry);
  }

  /** Whether a message to `toUid` (null: everyone) may go (the hosts' rules). */
  mayWrite(toUid: string | null): boolean {
    return this.rules.mayWrite(toUid);
  }

  /** Chat to everyone (toUid null) or privately: then only on that participant's channel;
   * `reply`: the message it answers. */
  send(text: string, toUid: string | null, reply?: ChatRef): ChatMessage | null {
    const body = text.trim().slice(0, MAX_CHAT_LENGTH);
    if (!body) return null;
    if (!this.rules.mayWrite(toUid)) {
      this.emit("notice", PERMISSIONS.chat.off);
      return null;
    }
    const id = randomId();
    const payload = encodeChat(id, body, toUid ? "private" : "all", reply);
    if (toUid) {
      const link = this.meeting.links.get(toUid);
      if (!link || !link.send("chat", payload)) {
        this.emit("notice", `${this.meeting.displayName(toUid)} is not connected; the message was not sent.`);
        return null;
      }
    } else {
      for (const link of this.meeting.links.values()) link.send("chat", payload);
    }
    const entry: ChatMessage = {
      id,
      fromUid: this.meeting.myUid,
      fromName: this.meeting.displayName(this.meeting.myUid),
      text: body,
      at: Date.now(),
      private: !!toUid,
      toUid: toUid ?? undefined,
      mine: true,
      reply,
    };
    this.add(entry);
    return entry;
  }

  /** Delete one of our messages for everyone it went to (its addressee alone when private):
   * their pages drop its text, as ours does. False when it is not ours or already deleted. */
  unsend(id: string): boolean {
    const entry = this.shown(null, id);
    if (!entry) return false;
    if (!this.tell(entry, encodeUnsend(id))) {
      const name = this.meeting.displayName(entry.toUid ?? "");
      this.emit("notice", `Deleted here, but ${name} is not connected: the copy on ${name}'s page stays.`);
    }
    this.markDeleted(entry);
    this.emit("unsent", entry);
    return true;
  }

  /** Change the text of one of our messages for everyone it went to, as `unsend` deletes it.
   * False when it is not ours, deleted, the text blank or unchanged, the hosts turned our chat
   * off since, or it was private and its addressee is not connected. */
  edit(id: string, text: string): boolean {
    const body = text.trim().slice(0, MAX_CHAT_LENGTH);
    const entry = this.shown(null, id);
    if (!entry || !body || body === entry.text) return false;
    if (!this.rules.mayWrite(entry.toUid ?? null)) {
      this.emit("notice", PERMISSIONS.chat.off);
      return false;
    }
    if (!this.tell(entry, encodeEdit(id, body))) {
      this.emit("notice", `${this.meeting.displayName(entry.toUid ?? "")} is not connected; the edit was not sent.`);
      return false;
    }
    this.emit("edited", { before: entry, after: this.replace(entry, body) });
    return true;
  }

  /** Our reaction `emoji` to the message `ref` given (on) or taken back, for those it went to.
   * False when it is not here or deleted, the hosts turned our chat off, or it was private and
   * its other party is not connected. */
  react(ref: ChatRef, emoji: Emoji, on: boolean): boolean {
    const entry = this.find(ref);
    if (!entry) return false;
    if (!this.rules.mayWrite(otherParty(entry))) {
      this.emit("notice", PERMISSIONS.chat.off);
      return false;
    }
    if (!this.tell(entry, encodeReaction(ref, emoji, on))) {
      this.emit("notice", `${this.meeting.displayName(otherParty(entry) ?? "")} is not connected; the reaction was not sent.`);
      return false;
    }
    this.setReaction(entry, this.meeting.myUid, emoji, on);
    return true;
  }

  /** Send news of a message to those it went to: false when it was private and its other party
   * is not connected now (to everyone: whoever is connected; we cannot know who else read it). */
  private tell(entry: ChatMessage, payload: string): boolean {
    const to = otherParty(entry);
    if (to) return this.meeting.links.get(to)?.send("chat", payload) ?? false;
    for (const link of this.meeting.links.values()) link.send("chat", payload);
    return true;
  }

  /** The message `id` not deleted: one of ours (`from` null), or one from that connection only
   * (nobody deletes or edits another's message). */
  private shown(from: string | null, id: string): ChatMessage | undefined {
    const whose = (m: ChatMessage) => (from === null ? m.mine : !m.mine && m.fromUid === from);
    return this.messages.peek().find((m) => m.id === id && !m.deleted && whose(m));
  }

  /** The message `ref` (its sender's uid and id), unless deleted: `shown`, by its sender. */
  private find(ref: ChatRef): ChatMessage | undefined {
    return this.shown(ref.uid === this.meeting.myUid ? null : ref.uid, ref.id);
  }

  private setReaction(entry: ChatMessage, uid: string, emoji: Emoji, on: boolean): void {
    const before = entry.reactions ?? NO_REACTIONS;
    const reactions = withReaction(before, uid, emoji, on);
    if (reactions !== before) this.swap(entry, { ...entry, reactions });
  }

  private replace(entry: ChatMessage, text: string): ChatMessage {
    return this.swap(entry, { ...entry, text, edited: true });
  }

  private markDeleted(entry: ChatMessage): void {
    this.swap(entry, { ...entry, text: "", deleted: true });
  }

  private swap(entry: ChatMessage, after: ChatMessage): ChatMessage {
    this.messages.value = this.messages.peek().map((m) => (m === entry ? after : m));
    return after;
  }

  private add(entry: ChatMessage): void {
    this.messages.value = [...this.messages.peek(), entry];
    this.emit("message", entry);
  }
}
