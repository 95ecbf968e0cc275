/**
 * The room's screens and the moves between them: the meeting checked first (meeting_info), the
 * lobby, joining (with a password on demand), the room itself, leaving and the page after it.
 * The components show `screen`; the meeting's own lifecycle lives in core/meeting/lifecycle.ts.
 */
import { signal } from "@preact/signals-core";
import type { User } from "firebase/auth";
import { call } from "../../core/api/client";
import { describeFailure } from "../../core/api/errors";
import { LocalMedia } from "../../core/meeting/media";
import type { LeaveOutcome } from "../../core/meeting/leave";
import { Meeting } from "../../core/meeting/meeting";
import { hideIpPreference } from "../../core/meeting/privacy";
import { activeMeeting, keepPassword, takePassword } from "../../core/state/stash";
import type { View } from "../../core/router/router";
import type { MeetingInfoResult } from "../../protocol.gen";
import { rememberMeeting } from "../../recent";
import { infoView, joinErrorView, type JoinAction, type JoinErrorView } from "../join/joinErrors";
import { RoomSession } from "./session";
import { RoomUi } from "./store";

export type Screen =
  | { kind: "checking" }
  | { kind: "lobby" }
  | { kind: "joining" }
  /** `attempt` changes with every prompt, so that a refused password gets a fresh form. */
  | { kind: "password"; error: string; attempt: number }
  | { kind: "message"; title: string; message: string; actions: JoinAction[] }
  | { kind: "room"; session: RoomSession; ui: RoomUi }
  | { kind: "leaving" }
  | { kind: "left"; message: string; detail?: string };

export interface RoomHandle extends View {
  /** The meeting in progress (the emulator-only test hook reads its links and board). */
  meeting?: RoomSession;
}

export function displayNameOf(user: User): string {
  return user.displayName || user.email?.split("@")[0] || user.phoneNumber || "Guest";
}

export class RoomController {
  readonly screen = signal<Screen>({ kind: "lobby" });
  readonly local = new LocalMedia();
  readonly myName: string;
  /** What meeting_info said before the lobby (null: not asked, or it could not answer). */
  readonly info = signal<MeetingInfoResult | null>(null);
  /** The person's choice in the lobby: hide their IP address (relay-only ICE). */
  readonly hideIp = signal(hideIpPreference());
  /** What the router holds (roomPage.tsx adds destroy). */
  readonly handle: RoomHandle = {};
  private session: RoomSession | null = null;
  private ui: RoomUi | null = null;
  private offEnded: (() => void) | null = null;
  private destroyed = false;
  private prompts = 0;

  constructor(
    private readonly user: User,
    readonly meetingId: string,
  ) {
    this.myName = displayNameOf(user);
  }

  /** A reload of the meeting page re-joins at once; a fresh visit checks the meeting, then the lobby. */
  start(): void {
    if (activeMeeting() === this.meetingId) void this.join();
    else void this.check();
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

  /** join_meeting; from the password prompt the prompt stays up (its button disabled) meanwhile. */
  async join(password = takePassword(this.meetingId), fromPrompt = false): Promise<void> {
    if (this.session && this.session.meeting.lifecycle.value !== "idle") return; // a join is under way
    if (!fromPrompt) this.screen.value = { kind: "joining" };
    const local = this.local;
    if (!local.audioTrack && !local.cameraTrack) await local.start();
    const relayOnly = this.hideIp.peek() || !!this.info.peek()?.relayOnly;
    this.session ??= new RoomSession(new Meeting(this.meetingId, this.user.uid, this.myName, local, { relayOnly }));
    const { meeting } = this.session;
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
    } else {
      this.showMessage(view);
    }
  }

  private enterRoom(session: RoomSession): void {
    this.handle.meeting = session;
    this.ui = new RoomUi();
    this.offEnded = session.meeting.on("ended", ({ message }) => {
      void this.teardown().then(() => this.showLeft(message));
    });
    document.title = `${session.meeting.title || "Meeting"} · AVMeets`;
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

  private showLeft(message: string, detail?: string): void {
    if (this.destroyed) return;
    document.title = "AVMeets";
    this.screen.value = { kind: "left", message, detail };
  }

  /** Leave the meeting and stop the media; resolves with how the leave went (null: no meeting). */
  private async teardown(): Promise<LeaveOutcome | null> {
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
    let outcome: LeaveOutcome | null = null;
    if (session) {
      const leaving = session.meeting.leave();
      // The connections close at once; camera and microphone go off before the server answers.
      await session.meeting.disconnect();
      this.local.stop();
      outcome = await leaving;
    }
    this.handle.meeting = undefined;
    this.local.stop();
    return outcome;
  }

  /** The page is going away: leave and stop the media. */
  async destroy(): Promise<void> {
    this.destroyed = true;
    await this.teardown();
  }
}
