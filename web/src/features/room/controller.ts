/**
 * The room's screens and the moves between them: the meeting checked first (meeting_info), the
 * lobby, joining (with a password on demand), the room itself, leaving and the page after it.
 * The components show `screen`; the meeting's own lifecycle lives in core/meeting/lifecycle.ts.
 */
import { effect, signal, type Signal } from "@preact/signals-core";
import type { User } from "firebase/auth";
import { call } from "../../core/api/client";
import { describeFailure } from "../../core/api/errors";
import { Knock } from "../../core/meeting/knock";
import { LocalMedia } from "../../core/meeting/media";
import type { LeaveOutcome } from "../../core/meeting/leave";
import { Meeting } from "../../core/meeting/meeting";
import { hideIpPreference } from "../../core/meeting/privacy";
import { activeMeeting, keepPassword, takePassword } from "../../core/state/stash";
import type { View } from "../../core/router/router";
import type { MeetingInfoResult } from "../../protocol.gen";
import { rememberMeeting } from "../../recent";
import { endedView, infoView, joinErrorView, deniedView, type JoinAction, type JoinErrorView } from "../join/joinErrors";
import { suggestedName } from "../lobby/names";
import { saveBoard } from "../orgStorage/boardSnapshot";
import { RoomSession } from "./session";
import { roomTitle } from "./title";
import { RoomUi } from "./store";

export type Screen =
  | { kind: "checking" }
  | { kind: "lobby" }
  /** Asked to join a meeting with a lobby: waiting for a host (features/hosts/WaitingRoom). */
  | { kind: "waiting"; knock: Knock }
  | { kind: "joining" }
  /** `attempt` changes with every prompt, so that a refused password gets a fresh form. */
  | { kind: "password"; error: string; attempt: number }
  | { kind: "message"; title: string; message: string; actions: JoinAction[] }
  | { kind: "room"; session: RoomSession; ui: RoomUi }
  | { kind: "leaving" }
  | { kind: "left"; message: string; detail?: string; canRejoin?: boolean };

export interface RoomHandle extends View {
  /** The meeting in progress (the emulator-only test hook reads its links and board). */
  meeting?: RoomSession;
}

/** The account's name when it is a usable name; never its e-mail address or phone number (the
 * server then names the person "Guest …", and join_meeting says which). */
export function displayNameOf(user: User): string {
  return suggestedName(user) || "Guest";
}

export class RoomController {
  readonly screen = signal<Screen>({ kind: "lobby" });
  readonly local = new LocalMedia();
  /** The name the others will see, as typed in the lobby (prefilled from the account's name). */
  readonly name: Signal<string>;
  /** Why the server refused the name typed in the lobby ("" when it did not). */
  readonly nameError = signal("");
  /** What meeting_info said before the lobby (null: not asked, or it could not answer). */
  readonly info = signal<MeetingInfoResult | null>(null);
  /** The person's choice in the lobby: hide their IP address (relay-only ICE). */
  readonly hideIp = signal(hideIpPreference());
  /** What the router holds (roomPage.tsx adds destroy). */
  readonly handle: RoomHandle = {};
  private session: RoomSession | null = null;
  private ui: RoomUi | null = null;
  private offEnded: (() => void) | null = null;
  private offTitle: (() => void) | null = null;
  private destroyed = false;
  private prompts = 0;
  private knock: Knock | null = null;
  /** Knocks in a row without getting in: a bound, should the server keep sending us back. */
  private knocks = 0;

  constructor(
    private readonly user: User,
    readonly meetingId: string,
  ) {
    this.name = signal(suggestedName(user));
  }

  /** What the lobby checks a typed name against (never shown, never prefilled from). */
  get account(): { email: string | null; phone: string | null } {
    return { email: this.user.email, phone: this.user.phoneNumber };
  }

  /** The name we go by: the one typed in the lobby, else the account's (or "Guest"). */
  get myName(): string {
    return this.name.peek().trim() || displayNameOf(this.user);
  }

  /** A reload of the meeting page re-joins at once, under the name the meeting has for us (the
   * one typed in the lobby, or a rename: the server keeps it when none is sent); a fresh visit
   * checks the meeting, then the lobby. */
  start(): void {
    if (activeMeeting() === this.meetingId) {
      this.name.value = "";
      void this.join();
    } else void this.check();
  }

  /** meeting_info before the camera: a meeting that does not exist or has ended is said at once. */
  async check(): Promise<void> {
    this.screen.value = { kind: "checking" };
    try {
      const info = await call("meeting_info", { meetingId: this.meetingId });
      if (this.destroyed) return;
      this.info.value = info;
      const stop = infoView(info, this.meetingId);
      if (stop) return this.showMessage(stop);
    } catch (error) {
      // A server without meeting_info, or unreachable now: join_meeting will say what is wrong.
      console.debug("meeting_info failed", describeFailure(error).code);
    }
    if (!this.destroyed) this.showLobby();
  }

  private showMessage(view: JoinErrorView): void {
    if (view.kind === "message") this.screen.value = { kind: "message", title: view.title, message: view.message, actions: view.actions };
  }

  showLobby(): void {
    this.screen.value = { kind: "lobby" };
  }

  /** The lobby's "Join now" / "Ask to join" with the name typed there. */
  joinAs(name: string, password: string | null): void {
    this.name.value = name;
    this.nameError.value = "";
    this.knocks = 0;
    if (this.session) this.session.meeting.myName = this.myName;
    void this.join(password ?? undefined);
  }

  /** join_meeting; from the password prompt the prompt stays up (its button disabled) meanwhile.
   * A meeting with a lobby (meeting_info's entry, or join_meeting's knock-required) knocks first. */
  async join(password = takePassword(this.meetingId), fromPrompt = false): Promise<void> {
    if (this.session && this.session.meeting.lifecycle.value !== "idle") return; // a join is under way
    if (this.info.peek()?.entry === "knock" && this.knocks === 0) return this.waitForHost(password);
    if (!fromPrompt) this.screen.value = { kind: "joining" };
    const local = this.local;
    if (!local.audioTrack && !local.cameraTrack) await local.start();
    const relayOnly = this.hideIp.peek() || !!this.info.peek()?.relayOnly;
    this.session ??= new RoomSession(new Meeting(this.meetingId, this.user.uid, this.myName, local, { relayOnly }));
    const { meeting } = this.session;
    if (this.name.peek().trim()) meeting.chosenName = this.name.peek().trim();
    try {
      await meeting.join(password);
    } catch (error) {
      if (!this.destroyed) this.joinFailed(error, password);
      return;
    }
    if (this.destroyed) {
      await meeting.leave();
      return;
    }
    keepPassword(this.meetingId, password);
    rememberMeeting(this.meetingId, meeting.title);
    this.session.hasPassword = this.info.peek()?.hasPassword ?? !!password;
    this.enterRoom(this.session);
  }

  private joinFailed(error: unknown, password: string | undefined): void {
    const view = joinErrorView(describeFailure(error), this.meetingId, !!password);
    if (view.kind === "password") {
      keepPassword(this.meetingId, undefined);
      this.screen.value = { kind: "password", error: view.error, attempt: ++this.prompts };
    } else if (view.kind === "knock" && this.knocks < 3) {
      void this.waitForHost(password);
    } else if (view.kind === "name") {
      this.nameError.value = view.error;
      this.showLobby();
    } else {
      this.showMessage(view.kind === "knock" ? deniedView() : view);
    }
  }

  /** Knock and wait for a host (docs/protocol.md, `knock`); let in, join. */
  private async waitForHost(password: string | undefined): Promise<void> {
    this.knocks++;
    const name = this.name.peek().trim();
    const knock = new Knock(this.meetingId, this.user.uid, { ...(password ? { password } : {}), ...(name ? { displayName: name } : {}) });
    this.knock = knock;
    this.screen.value = { kind: "waiting", knock };
    let outcome;
    try {
      outcome = await knock.wait();
    } catch (error) {
      if (this.knock === knock && !this.destroyed) this.joinFailed(error, password);
      return;
    } finally {
      if (this.knock === knock) this.knock = null;
    }
    if (this.destroyed || outcome === "cancelled") return;
    if (outcome === "admitted") return this.join(password);
    this.showMessage(outcome === "denied" ? deniedView() : endedView());
  }

  /** "Stop waiting": withdraw the knock, back to the lobby. */
  async stopWaiting(): Promise<void> {
    const knock = this.knock;
    this.knock = null;
    this.showLobby();
    await knock?.cancel();
  }

  private enterRoom(session: RoomSession): void {
    this.handle.meeting = session;
    this.ui = new RoomUi();
    this.offEnded = session.meeting.on("ended", ({ reason, message }) => {
      const ended = reason === "meeting-ended";
      const text = ended ? (session.hosting.endedByMe ? "You ended the meeting for everyone" : "A host ended the meeting for everyone") : message;
      void this.teardown().then(() => this.showLeft(text, undefined, !ended));
    });
    session.hosting.start(this.local);
    const ui = this.ui;
    // The tab says who waits and what is unread; the controller owns the title, so a leave's
    // "Leaving…" is never written over by a last change of these.
    this.offTitle = effect(() => {
      document.title = roomTitle(session.meeting.title, session.hosting.knocks.value.length, ui.unreadChat.value);
    });
    this.screen.value = { kind: "room", session, ui: this.ui };
  }

  async leave(): Promise<void> {
    const done = this.teardown();
    document.title = "Leaving… · AVMeets";
    this.screen.value = { kind: "leaving" };
    const outcome = await done;
    if (this.destroyed) return;
    if (outcome === "unconfirmed") {
      // The server could not be told: it closes the silent session out after the heartbeat
      // timeout, and until then the others still list us. Say so; never claim a clean leave.
      this.showLeft(
        "You left; the others may still see you for a minute or two",
        "Your connections are closed, but the meeting service could not be reached to say so. " +
          "It removes a participant that has gone silent by itself.",
      );
    } else {
      this.showLeft("You left the meeting");
    }
  }

  private showLeft(message: string, detail?: string, canRejoin = true): void {
    if (this.destroyed) return;
    document.title = "AVMeets";
    this.screen.value = { kind: "left", message, detail, canRejoin };
  }

  /** Leave the meeting and stop the media; resolves with how the leave went (null: no meeting). */
  private async teardown(): Promise<LeaveOutcome | null> {
    this.offTitle?.();
    this.offTitle = null;
    this.offEnded?.();
    this.offEnded = null;
    const ui = this.ui;
    this.ui = null;
    if (ui) {
      const recorder = ui.recorder.peek();
      ui.recorder.value = null;
      ui.whiteboard.value = "closed";
      await recorder?.stop().catch(() => undefined);
    }
    const session = this.session;
    this.session = null;
    // A rejoin's lobby offers the name we had last (a rename included).
    if (session) this.name.value = session.meeting.displayName(session.meeting.myUid);
    let outcome: LeaveOutcome | null = null;
    session?.hosting.stop();
    session?.pin.stop();
    if (session) {
      // The organisation's last chat batch and board snapshot go while we are still a participant.
      await session.org.beforeLeave(() => saveBoard(session.org, session.board, this.meetingId, true));
      const leaving = session.meeting.leave();
      // The connections close at once; camera and microphone go off before the server answers.
      await session.meeting.disconnect();
      this.local.stop();
      outcome = await leaving;
      void session.org.afterLeave(); // attendance once the server has our leave time
    }
    this.handle.meeting = undefined;
    this.local.stop();
    return outcome;
  }

  /** The page is going away: leave and stop the media. */
  async destroy(): Promise<void> {
    this.destroyed = true;
    const knock = this.knock;
    this.knock = null;
    await knock?.cancel();
    await this.teardown();
  }
}
