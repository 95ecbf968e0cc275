/**
 * Running a meeting from the room (docs/protocol.md section 5): the meeting's lock, lobby and
 * what its hosts turned off for participants as everyone reads them (held to on our side and on
 * everyone else's, permissions.ts), the waiting knocks (listened to only while we are a host or co-host, as
 * the rules allow), host_action, and the requests to mute or turn a camera off, which travel to
 * the person on the chat data channel.
 */
import { computed, effect, signal, untracked, type ReadonlySignal } from "@preact/signals-core";
import { announce } from "../../core/announce";
import { collection, doc, onSnapshot, query, where, type Unsubscribe } from "firebase/firestore";
import { call } from "../../core/api/client";
import { describeFailure } from "../../core/api/errors";
import type { LocalMedia } from "../../core/meeting/media";
import type { Meeting } from "../../core/meeting/meeting";
import { db } from "../../core/meeting/signalling";
import { playCue } from "../../ui/cue";
import type { HostActionName, HostActionRequest, HostPermission, ParticipantRole } from "../../protocol.gen";
import { askAccepted, asked, encodeAsk, type Ask } from "./asks";
import { newKnocks, roleNotice, runsMeeting } from "./controls";
import { permissionsOf } from "../../core/meeting/held";
import { millisOf } from "../../core/meeting/timestamps";
import { heldFor, heldNotices, messageAccepted, PERMISSIONS, type HeldState, type MessageRules, type Messaging } from "./permissions";

/** A waiting knock as the hosts see it. */
export interface Knocker {
  uid: string;
  displayName: string;
  sameOrg: boolean;
  wasRemoved: boolean;
  /** Epoch ms. */
  knockedAt: number;
}

export interface MeetingSwitches {
  locked: boolean;
  lobby: boolean;
  /** The meeting belongs to an organisation: knocks say whether they are of it. */
  hasOrg: boolean;
  /** What the hosts turned off for participants. */
  restricted: readonly HostPermission[];
  /** The breakout rooms open, by name (features/breakouts). */
  rooms: readonly string[];
  /** Participants may move themselves between the rooms open. */
  roomsChoice: boolean;
  /** When the rooms open close by themselves (epoch ms; null: no timer). */
  roomsCloseAt: number | null;
}

/** A host's request that reached us, shown until we act on it or dismiss it. */
export interface IncomingAsk {
  id: number;
  what: Ask;
  fromUid: string;
  fromName: string;
  fromRole: ParticipantRole;
}

/** The meeting's `rooms`, checked (none unless a list of names). */
function roomsOf(value: unknown): string[] {
  return Array.isArray(value) && value.every((name) => typeof name === "string") ? (value as string[]) : [];
}

/** What a refused host action means, in words. */
export function hostFailureText(error: unknown): string {
  const failure = describeFailure(error);
  if (failure.reason === "not-a-host") return "Only the host and co-hosts can do that.";
  if (failure.reason === "meeting-ended") return "The meeting has ended.";
  if (failure.reason === "no-rooms") return "No breakout rooms are open.";
  if (failure.code === "not-found") return "That person is no longer waiting or in the meeting.";
  if (failure.code === "permission-denied") return failure.message || "That is not allowed.";
  return "The meeting service could not be reached; try again.";
}

export class Hosting {
  readonly switches = signal<MeetingSwitches>({ locked: false, lobby: false, hasOrg: false, restricted: [], rooms: [], roomsChoice: false, roomsCloseAt: null });
  /** Requests from hosts to us (from hosts only: others' are dropped). */
  readonly asks = signal<readonly IncomingAsk[]>([]);
  private askIds = 0;
  /** Waiting knocks, oldest first (empty unless we run the meeting). */
  readonly knocks = signal<readonly Knocker[]>([]);
  /** The latest refusal of one of our actions, in words ("" when none). */
  readonly problem = signal("");
  readonly myRole: ReadonlySignal<ParticipantRole>;
  /** Someone else has a microphone on ("Ask everyone to mute" is offered). */
  readonly anyoneUnmuted: ReadonlySignal<boolean>;
  /** What the hosts turned off for us (nothing while we run the meeting). */
  readonly heldForMe: ReadonlySignal<readonly HostPermission[]>;
  /** Breakout rooms are open and let us, a participant, choose our room (features/breakouts). */
  readonly choosesRoom: ReadonlySignal<boolean>;
  /** We ended the meeting for everyone (the room then says so, not "a host ended it"). */
  endedByMe = false;
  private offs: (() => void)[] = [];
  private lobbyListener: Unsubscribe | null = null;

  constructor(private readonly meeting: Meeting) {
    this.myRole = computed(() => meeting.roster.value.get(meeting.myUid)?.role ?? "participant");
    // A boolean: its readers repaint when it flips, not with every connection's stats.
    this.anyoneUnmuted = computed(() => this.unmuted().length > 0);
    let last: readonly HostPermission[] = [];
    this.choosesRoom = computed(() => {
      const { rooms, roomsChoice } = this.switches.value;
      return rooms.length > 0 && roomsChoice && !runsMeeting(this.myRole.value);
    });
    this.heldForMe = computed(() => {
      // Nothing until our own document says who we are: a host is not a participant meanwhile.
      const me = meeting.roster.value.get(meeting.myUid);
      const now = me ? heldFor(me, this.switches.value.restricted) : [];
      if (now.join() !== last.join()) last = now; // the same list while it says the same
      return last;
    });
  }

  get myUid(): string {
    return this.meeting.myUid;
  }

  /** What the hosts turned off for `uid` (by its role on the roster now). */
  heldOf(uid: string): HostPermission[] {
    return heldFor(this.meeting.roster.peek().get(uid), this.switches.peek().restricted);
  }

  /** Whether the hosts turned `what` off for us now. */
  held(what: HostPermission): ReadonlySignal<boolean> {
    return computed(() => this.heldForMe.value.includes(what));
  }

  /** Whether `uid` may do `what` now (we, by what is held for us). */
  allows(uid: string, what: HostPermission): boolean {
    const held = uid === this.meeting.myUid ? this.heldForMe.peek() : this.heldOf(uid);
    return !held.includes(what);
  }

  /** The rules of one kind of message (permissions.ts): one from a person for whom it is off is
   * taken only privately to us while we run the meeting; ours, when it is off for us, goes only
   * privately to someone who runs it. */
  rules(what: Messaging): MessageRules {
    return {
      accepts: (uid, scope) => messageAccepted(what, this.meeting.roster.peek().get(uid), this.myRole.peek(), this.switches.peek().restricted, scope),
      mayWrite: (toUid) => this.allows(this.meeting.myUid, what) || (!!toUid && runsMeeting(this.meeting.roster.peek().get(toUid)?.role)),
    };
  }

  start(local: LocalMedia): void {
    const meetingRef = doc(db(), "meetings", this.meeting.meetingId);
    const stopMeeting = onSnapshot(
      meetingRef,
      (snapshot) =>
        (this.switches.value = {
          locked: snapshot.get("locked") === true,
          lobby: snapshot.get("lobby") === true,
          hasOrg: typeof snapshot.get("orgId") === "string",
          restricted: permissionsOf(snapshot.get("restricted")),
          rooms: roomsOf(snapshot.get("rooms")),
          roomsChoice: snapshot.get("roomsChoice") === true,
          roomsCloseAt: millisOf(snapshot.get("roomsCloseAt")) || null,
        }),
      (error) => console.debug("the meeting listener stopped", error),
    );
    let role: ParticipantRole | null = null;
    const stopRole = effect(() => {
      const now = this.myRole.value;
      const notice = role === null ? null : roleNotice(role, now);
      if (notice) announce(notice);
      role = now;
      if (runsMeeting(now)) this.listenToLobby();
      else this.stopLobby();
    });
    let waiting: readonly Knocker[] = [];
    const stopKnocks = effect(() => {
      const knocks = this.knocks.value;
      // The hosts hear of each newcomer, whatever panel is open; quiet: the knock alert or the
      // people panel's queue already shows it (a red toast beside it looked like an error, and
      // outlived the knock it was about).
      const fresh = newKnocks(waiting, knocks);
      for (const knock of fresh) announce(`${knock.displayName} asks to join`, { urgency: "assertive", quiet: true });
      // And a sound, heard in another tab or window too.
      if (fresh.length) playCue();
      waiting = knocks;
    });
    const stopAsks = this.meeting.on("ask", ({ link, what }) => this.received(link.uid, what));
    this.offs = [stopMeeting, stopRole, stopKnocks, stopAsks, this.holdMe(local), this.holdOthers(), () => this.stopLobby()];
  }

  /** We keep off what the hosts turned off for us, and are told when that changes; out of the
   * meeting (the lobby of a rejoin, another meeting) nothing is held any more. */
  private holdMe(local: LocalMedia): () => void {
    const devices = ["mic", "camera", "present"] as const;
    let before: HeldState = { held: [], permitted: [] };
    const stop = effect(() => {
      const held = this.heldForMe.value;
      const permitted = untracked(() => this.meeting.roster.value.get(this.meeting.myUid)?.permitted) ?? [];
      for (const what of devices) local.hold(what, held.includes(what) ? PERMISSIONS[what].off : null);
      const now = { held, permitted };
      for (const notice of heldNotices(before, now)) announce(notice);
      before = now;
    });
    return () => {
      stop();
      for (const what of devices) local.hold(what, null);
    };
  }

  /** Each connection plays nothing of what the hosts turned off for its person, whatever it sends
   * (a client that ignores the meeting's restrictions is held to them here). */
  private holdOthers(): () => void {
    return effect(() => {
      const { restricted } = this.switches.value;
      const roster = this.meeting.roster.value;
      for (const link of this.meeting.peers.value.values()) link.media.hold(heldFor(roster.get(link.uid), restricted));
    });
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
  }

  /** host_action (`more`: the breakout rooms' fields); false (and `problem` set) when refused. */
  async act(action: HostActionName, uid?: string, what?: HostPermission, more: Pick<HostActionRequest, "rooms" | "assign" | "choose" | "minutes" | "room"> = {}): Promise<boolean> {
    try {
      if (action === "end") this.endedByMe = true; // before the answer: our own document may come first
      await call("host_action", { meetingId: this.meeting.meetingId, action, ...(uid ? { uid } : {}), ...(what ? { what } : {}), ...more });
      this.problem.value = "";
      return true;
    } catch (error) {
      if (action === "end") this.endedByMe = false;
      this.problem.value = hostFailureText(error);
      return false;
    }
  }

  /** Ask `uid` to mute or to turn their camera off (a request they accept, or not). */
  ask(uid: string, what: Ask): boolean {
    const sent = this.sendAsk(uid, what);
    this.problem.value = sent ? "" : "Not connected to that person: the request could not be sent.";
    return sent;
  }

  /** Who else has a microphone on now (what "Ask everyone to mute" would ask). */
  private unmuted(): string[] {
    return [...this.meeting.peers.value.values()].filter((link) => link.view.value.remoteMedia.audio).map((link) => link.uid);
  }

  /** Ask everyone else whose microphone is on to mute; says how many were asked. */
  askEveryoneToMute(): void {
    const asked = untracked(() => this.unmuted()).filter((uid) => this.sendAsk(uid, "mute"));
    this.problem.value = asked.length ? "" : "Nobody could be asked: not connected to anyone with a microphone on.";
    if (asked.length) announce(asked.length === 1 ? "Asked 1 person to mute" : `Asked ${asked.length} people to mute`);
  }

  /** The request on `uid`'s chat channel; false when not connected to them. */
  private sendAsk(uid: string, what: Ask): boolean {
    return this.meeting.links.get(uid)?.send("chat", encodeAsk(what)) ?? false;
  }

  /** A request arrived from `uid` on the chat channel: kept only if `uid` runs the meeting
   * (its role as the server wrote it); it replaces an earlier one about the same device (a
   * repeat, or its opposite). */
  received(uid: string, what: Ask): void {
    const sender = this.meeting.roster.peek().get(uid);
    if (!sender || !askAccepted(sender.role)) return;
    const device = asked(what).device;
    const others = this.asks.peek().filter((ask) => asked(ask.what).device !== device);
    this.asks.value = [...others, { id: ++this.askIds, what, fromUid: uid, fromName: sender.displayName, fromRole: sender.role }];
  }

  dismissAsk(id: number): void {
    this.asks.value = this.asks.peek().filter((ask) => ask.id !== id);
  }

  private listenToLobby(): void {
    if (this.lobbyListener) return;
    const waiting = query(collection(db(), "meetings", this.meeting.meetingId, "lobby"), where("state", "==", "waiting"));
    this.lobbyListener = onSnapshot(
      waiting,
      (snapshot) => {
        const knocks = snapshot.docs.map((d) => ({
          uid: d.id,
          displayName: String(d.get("displayName") ?? "Guest"),
          sameOrg: d.get("sameOrg") === true,
          wasRemoved: d.get("wasRemoved") === true,
          knockedAt: millisOf(d.get("knockedAt")),
        }));
        this.knocks.value = knocks.sort((a, b) => a.knockedAt - b.knockedAt || a.uid.localeCompare(b.uid));
      },
      (error) => {
        // Refused once we are no longer a host (the role changes first): nothing to show.
        console.debug("the lobby listener stopped", error);
        this.lobbyListener = null;
        this.knocks.value = [];
      },
    );
  }

  private stopLobby(): void {
    this.lobbyListener?.();
    this.lobbyListener = null;
    this.knocks.value = [];
  }
}
