/**
 * One meeting with its data-channel protocols: the Meeting (signalling, roster, connections)
 * plus chat, files, the whiteboard, gestures (hands, reactions, spotlight), captions, polls and Q&A, and what several
 * components derive from them.
 */
import { computed, type ReadonlySignal } from "@preact/signals-core";
import type { Meeting } from "../../core/meeting/meeting";
import type { PeerLink } from "../../core/meeting/peer";
import { roomOf } from "../../core/meeting/roster";
import { Captions } from "../captions/captions";
import { ChatLog } from "../chat/chatLog";
import { ChatPin } from "../chat/pins";
import { FileShare } from "../files/fileShare";
import { Gestures } from "../gestures/gestures";
import { HelpDesk } from "../breakouts/help";
import { runsMeeting } from "../hosts/controls";
import { Hosting } from "../hosts/hosting";
import { OrgStorage } from "../orgStorage/orgStorage";
import { Polls } from "../polls/polls";
import { Questions } from "../qa/qa";
import { Board } from "../whiteboard/board";

export interface Target {
  uid: string;
  name: string;
}

export class RoomSession {
  readonly chat: ChatLog;
  /** The message a host pinned above the chat (features/chat/pins.ts). */
  readonly pin: ChatPin;
  readonly files: FileShare;
  readonly board: Board;
  readonly gestures: Gestures;
  /** Live captions, each person's recognised on their device (features/captions). */
  readonly captions: Captions;
  /** A host's question to everyone, answered to them (features/polls). */
  readonly polls: Polls;
  /** Everyone's questions to the meeting, upvoted, marked by the hosts (features/qa). */
  readonly qa: Questions;
  /** The lock, the lobby, the hosts' actions and their requests (features/hosts). */
  readonly hosting: Hosting;
  /** What organisations store here, and ours storing what it stores of us (features/orgStorage). */
  readonly org: OrgStorage;
  /** The breakout room we are in (null: the main room; features/breakouts). */
  readonly myRoom: ReadonlySignal<number | null>;
  /** Calls for a host's help from the breakout rooms. */
  readonly help: HelpDesk;
  /** Who has a tile: us first, then everyone joined or connected. */
  readonly present: ReadonlySignal<readonly string[]>;
  /** How many people present are in other breakout rooms than ours (0 without rooms). */
  readonly elsewhere: ReadonlySignal<number>;
  /** The others one can write or send a file to privately. */
  readonly targets: ReadonlySignal<readonly Target[]>;
  /** The meeting needs a password (the invitation says so). */
  hasPassword = false;

  constructor(readonly meeting: Meeting) {
    this.hosting = new Hosting(meeting);
    this.chat = new ChatLog(meeting, this.hosting.rules("chat"));
    this.files = new FileShare(meeting, this.hosting.rules("files"));
    this.board = new Board(meeting, { draws: (uid) => this.hosting.allows(uid, "whiteboard"), drawingOff: this.hosting.held("whiteboard") });
    const runs = (uid: string) => runsMeeting(meeting.roster.peek().get(uid)?.role);
    this.pin = new ChatPin(meeting, this.chat.messages, runs);
    this.gestures = new Gestures(meeting, runs, (uid) => this.hosting.allows(uid, "reactions"));
    this.polls = new Polls(meeting, runs);
    // A question is a message to everyone: the chat's switch holds it too.
    this.qa = new Questions(meeting, { asks: (uid) => this.hosting.allows(uid, "chat"), runs, askingOff: this.hosting.held("chat") });
    this.captions = new Captions(meeting, (uid) => !this.hosting.heldOf(uid).includes("mic"));
    this.org = new OrgStorage(meeting, this.chat);
    meeting.use(this.files);
    meeting.use(this.captions);
    meeting.use(this.board);
    meeting.use(this.gestures);
    meeting.use(this.polls);
    meeting.use(this.qa);
    this.myRoom = computed(() => roomOf(meeting.roster.value.get(meeting.myUid)));
    this.help = new HelpDesk(meeting, this.hosting, this.myRoom);
    this.present = computed(() => {
      const uids = new Set<string>([meeting.myUid]);
      // Those in our room: the others, in other breakout rooms, are not here (features/breakouts).
      const room = this.myRoom.value;
      for (const [uid, p] of meeting.roster.value) if (p.state === "joined" && roomOf(p) === room) uids.add(uid);
      for (const uid of meeting.peers.value.keys()) uids.add(uid);
      return [...uids];
    });
    this.elsewhere = computed(() => {
      const here = new Set(this.present.value);
      return [...meeting.roster.value.values()].filter((p) => p.state === "joined" && !here.has(p.uid)).length;
    });
    this.targets = computed(() =>
      this.present.value.filter((uid) => uid !== meeting.myUid).map((uid) => ({ uid, name: this.name(uid) })),
    );
  }

  /** The connections (the emulator-only test hook reads them). */
  get links(): ReadonlyMap<string, PeerLink> {
    return this.meeting.links;
  }

  /** A participant's display name; read inside a component, it re-renders when the roster changes. */
  name(uid: string): string {
    const meeting = this.meeting;
    return meeting.roster.value.get(uid)?.displayName ?? (uid === meeting.myUid ? meeting.myName : "Guest");
  }

  /** A chosen addressee while still there; null (everyone) once gone or for "". */
  addressee(uid: string): string | null {
    return uid && this.targets.peek().some((t) => t.uid === uid) ? uid : null;
  }

  /** The connection to `uid`, if any (reactive). */
  link(uid: string): PeerLink | undefined {
    return this.meeting.peers.value.get(uid);
  }
}
