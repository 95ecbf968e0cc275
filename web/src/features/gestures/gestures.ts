/**
 * Raised hands, reactions and the spotlight: the "gestures" data channel (JSON text):
 *
 *   {"t":"hand","up":true|false}                 the sender raised or lowered their hand
 *   {"t":"lower-hands"}                          a host or co-host lowers everyone's hand (sent
 *                                                to all) or one person's (to them alone): the
 *                                                receiver lowers its own (and says so)
 *   {"t":"react","emoji":"👍"}                    a reaction, one of REACTIONS
 *   {"t":"spotlight","uid":string|null,"at":ms}  a host or co-host spotlights uid for everyone
 *                                                (null ends it); the newest `at` wins
 *
 * When a connection's channel opens, each side sends its hand if it is up and, if it runs the
 * meeting, the spotlight it knows, so a newcomer sees both. Spotlights and "lower-hands" from
 * anyone else are ignored, as is any other message; reactions from one peer are shown at most
 * every REACTION_GAP_MS, and none from someone for whom a host turned them off.
 */
import { signal } from "@preact/signals-core";
import { parseJsonObject } from "../../core/meeting/channelJson";
import type { ChannelProtocol, ProtocolMeeting } from "../../core/meeting/link";
import type { PeerLink } from "../../core/meeting/peer";
import { Emitter } from "../../core/state/emitter";

export const REACTIONS = ["👍", "👏", "😂", "❤️", "🎉", "😮"] as const;
export type Emoji = (typeof REACTIONS)[number];
export const REACTION_NAMES: Readonly<Record<Emoji, string>> = {
  "👍": "Thumbs up",
  "👏": "Applause",
  "😂": "Laughing",
  "❤️": "Heart",
  "🎉": "Celebrate",
  "😮": "Surprised",
};

/** How long a reaction floats over its tile. */
export const REACTION_MS = 4_000;
const REACTION_GAP_MS = 300;
const MAX_ID = 128;

export type Gesture =
  | { t: "hand"; up: boolean }
  | { t: "react"; emoji: Emoji }
  | { t: "spotlight"; uid: string | null; at: number }
  | { t: "lower-hands" };

/** A gesture message, or null for anything the protocol does not know. Pure. */
export function parseGesture(text: string): Gesture | null {
  const message = parseJsonObject(text);
  if (!message) return null;
  if (message.t === "hand" && typeof message.up === "boolean") return { t: "hand", up: message.up };
  if (message.t === "lower-hands") return { t: "lower-hands" };
  if (message.t === "react" && REACTIONS.includes(message.emoji as Emoji)) return { t: "react", emoji: message.emoji as Emoji };
  if (message.t === "spotlight" && Number.isFinite(message.at)) {
    const uid = message.uid;
    if (uid === null || (typeof uid === "string" && uid.length > 0 && uid.length <= MAX_ID)) {
      return { t: "spotlight", uid, at: Number(message.at) };
    }
  }
  return null;
}

export interface Reaction {
  id: number;
  uid: string;
  emoji: Emoji;
}

export interface Spotlight {
  uid: string;
  by: string;
  at: number;
}

type GestureEvents = {
  hand: { uid: string; up: boolean };
  reaction: Reaction;
  /** The spotlight changed: `by` set it or ended it. */
  spotlight: { spotlight: Spotlight | null; by: string };
  /** A host or co-host (`by`) lowered our raised hand. */
  handLowered: { by: string };
};

export class Gestures extends Emitter<GestureEvents> implements ChannelProtocol {
  readonly label = "gestures";
  /** Raised hands (us included): uid → when (ms), the first raised first. */
  readonly hands = signal<ReadonlyMap<string, number>>(new Map());
  /** Reactions floating now. */
  readonly reactions = signal<readonly Reaction[]>([]);
  readonly spotlight = signal<Spotlight | null>(null);
  private nextId = 1;
  private lastReaction = new Map<string, number>();
  private timers = new Set<ReturnType<typeof setTimeout>>();
  /** When our spotlight message was sent (or the last one we took), for "newest wins". */
  private spotlightAt = 0;

  constructor(
    private readonly meeting: ProtocolMeeting,
    /** Whether `uid` runs the meeting (its role as the server wrote it): only they lower hands. */
    private readonly runsMeeting: (uid: string) => boolean,
    /** Whether `uid` may send reactions (a host may turn them off for participants). */
    private readonly reacts: (uid: string) => boolean = () => true,
  ) {
    super();
  }

  get handUp(): boolean {
    return this.hands.peek().has(this.meeting.myUid);
  }

  raiseHand(up: boolean): void {
    this.setHand(this.meeting.myUid, up);
    this.broadcast({ t: "hand", up });
  }

  /** As a host or co-host: everyone's hand down (each lowers their own on our message). */
  lowerAllHands(): void {
    if (this.handUp) this.raiseHand(false);
    this.broadcast({ t: "lower-hands" });
  }

  /** As a host or co-host: `uid`'s hand down (the same message, to them alone); false when
   * not connected to them. */
  lowerHandOf(uid: string): boolean {
    return this.meeting.links.get(uid)?.send("gestures", JSON.stringify({ t: "lower-hands" })) ?? false;
  }

  react(emoji: Emoji): void {
    if (!this.reacts(this.meeting.myUid)) return;
    this.addReaction(this.meeting.myUid, emoji);
    this.broadcast({ t: "react", emoji });
  }

  /** Spotlight `uid` for everyone (null: end the spotlight). */
  setSpotlight(uid: string | null): void {
    const at = Math.max(this.meeting.clock.now(), this.spotlightAt + 1);
    this.applySpotlight(uid, this.meeting.myUid, at);
    this.broadcast({ t: "spotlight", uid, at });
  }

  open(link: PeerLink): void {
    if (this.handUp) link.send("gestures", JSON.stringify({ t: "hand", up: true }));
    const spotlight = this.spotlight.peek();
    // Only a host's word counts for a spotlight: a newcomer hears it from the hosts present.
    if (spotlight && this.runsMeeting(this.meeting.myUid)) link.send("gestures", JSON.stringify({ t: "spotlight", uid: spotlight.uid, at: spotlight.at }));
  }

  message(link: PeerLink, data: string | ArrayBuffer): void {
    const gesture = typeof data === "string" ? parseGesture(data) : null;
    if (!gesture) return;
    if (gesture.t === "hand") this.setHand(link.uid, gesture.up);
    else if (gesture.t === "react") {
      if (this.reacts(link.uid)) this.addReaction(link.uid, gesture.emoji);
    }
    else if (gesture.t === "lower-hands") this.loweredBy(link.uid);
    else if (gesture.at > this.spotlightAt && this.runsMeeting(link.uid)) this.applySpotlight(gesture.uid, link.uid, gesture.at);
  }

  /** Gone: their hand comes down; a spotlight on them ends. */
  closed(link: PeerLink): void {
    if (this.meeting.links.has(link.uid)) return; // a channel closed, the person is still here
    this.setHand(link.uid, false, false);
    if (this.spotlight.peek()?.uid === link.uid) this.applySpotlight(null, link.uid, this.spotlightAt);
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private loweredBy(uid: string): void {
    if (!this.handUp || !this.runsMeeting(uid)) return;
    this.raiseHand(false);
    this.emit("handLowered", { by: uid });
  }

  private setHand(uid: string, up: boolean, tell = true): void {
    const hands = this.hands.peek();
    if (hands.has(uid) === up) return;
    const next = new Map(hands);
    if (up) next.set(uid, Date.now());
    else next.delete(uid);
    this.hands.value = next;
    if (tell) this.emit("hand", { uid, up });
  }

  private addReaction(uid: string, emoji: Emoji): void {
    const now = Date.now();
    if (now - (this.lastReaction.get(uid) ?? 0) < REACTION_GAP_MS) return;
    this.lastReaction.set(uid, now);
    const reaction = { id: this.nextId++, uid, emoji };
    this.reactions.value = [...this.reactions.peek(), reaction];
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.reactions.value = this.reactions.peek().filter((r) => r !== reaction);
    }, REACTION_MS);
    this.timers.add(timer);
    this.emit("reaction", reaction);
  }

  private applySpotlight(uid: string | null, by: string, at: number): void {
    this.spotlightAt = at;
    const next = uid ? { uid, by, at } : null;
    if (next?.uid === this.spotlight.peek()?.uid) return;
    this.spotlight.value = next;
    this.emit("spotlight", { spotlight: next, by });
  }

  private broadcast(gesture: Gesture): void {
    const text = JSON.stringify(gesture);
    for (const link of this.meeting.links.values()) link.send("gestures", text);
  }
}
