/** What a Meeting emits (meeting.ts). */
import type { Ask, ChatChannelMessage } from "./chatChannel";
import type { Ending } from "./lifecycle";
import type { PeerLink } from "./peer";

/** A chat message as it arrived on a link's chat channel. */
export type IncomingChat = { link: PeerLink; message: Extract<ChatChannelMessage, { t: "chat" }> };

export type MeetingEvents = {
  chat: IncomingChat;
  /** A request on a link's chat channel (features/hosts shows it only from a host). */
  ask: { link: PeerLink; what: Ask };
  ended: Ending;
};
