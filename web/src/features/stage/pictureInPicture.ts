/**
 * Picture in picture (More): the person on our stage in the browser's floating window, to keep
 * them in view while working in another tab or program. It follows the stage: a presentation, a
 * pinned or spotlighted person, else the last speaker, else the first other person; alone, our
 * own camera; someone whose camera is off is shown by their initials and name (pipCard.ts).
 * Where the browser offers them (Chromium, for a video call), the window's microphone
 * and camera buttons switch ours (Media Session), and the browser may open it by itself when the
 * tab is left ("enterpictureinpicture").
 */
import { effect, signal } from "@preact/signals-core";
import { announce } from "../../core/announce";
import type { LocalMedia } from "../../core/meeting/media";
import type { RoomSession } from "../room/session";
import type { MainView, StageLayout } from "./layout";
import { NameCard } from "./pipCard";
import type { StageState } from "./stageState";

export type PipSubject = { kind: "camera" | "screen"; uid: string };

/** Who the floating window shows, or null (nobody, nothing to show). Pure. */
export function pipSubject(layout: StageLayout, speaker: string | null, present: readonly string[], myUid: string): PipSubject | null {
  const main: MainView = layout.main;
  if (main && main.kind !== "board") return { kind: main.kind, uid: main.uid };
  const others = present.filter((uid) => uid !== myUid);
  const who = speaker && others.includes(speaker) ? speaker : (others[0] ?? (present.includes(myUid) ? myUid : null));
  return who ? { kind: "camera", uid: who } : null;
}

export function canPictureInPicture(): boolean {
  return typeof document !== "undefined" && document.pictureInPictureEnabled === true;
}

type Action = "togglemicrophone" | "togglecamera" | "enterpictureinpicture";

/** A Media Session action's handler, where the browser knows the action (null: none). */
function handle(action: Action, handler: (() => void) | null): void {
  try {
    navigator.mediaSession?.setActionHandler(action as MediaSessionAction, handler);
  } catch {
    /* not an action this browser knows */
  }
}

export class PictureInPicture {
  /** Whether our video is in the floating window now (the browser's close button included). */
  readonly on = signal(false);
  /** A video element of its own: the tiles' come and go with the layout. */
  private readonly video = document.createElement("video");
  private own: MediaStream | null = null;
  private card: NameCard | null = null;

  constructor(
    private readonly session: RoomSession,
    private readonly stage: StageState,
    private readonly local: LocalMedia,
  ) {
    this.video.muted = true; // the tiles play the sound
    this.video.playsInline = true;
    this.video.className = "pip-source";
    this.video.setAttribute("aria-hidden", "true");
    this.video.addEventListener("enterpictureinpicture", () => (this.on.value = true));
    this.video.addEventListener("leavepictureinpicture", () => (this.on.value = false));
  }

  /** Follow the stage and offer the browser's buttons; returns the function that stops. */
  start(): () => void {
    document.body.append(this.video);
    handle("togglemicrophone", () => void this.local.setMic(!this.local.micOn));
    handle("togglecamera", () => void this.local.setCam(!this.local.camOn));
    handle("enterpictureinpicture", () => void this.enter());
    const offs = [
      effect(() => this.show(this.stream())),
      effect(() => {
        const { micOn, camOn } = this.local.state.value;
        void navigator.mediaSession?.setMicrophoneActive?.(micOn);
        void navigator.mediaSession?.setCameraActive?.(camOn);
      }),
    ];
    return () => {
      for (const off of offs) off();
      for (const action of ["togglemicrophone", "togglecamera", "enterpictureinpicture"] as const) handle(action, null);
      if (document.pictureInPictureElement === this.video) void document.exitPictureInPicture().catch(() => undefined);
      this.video.srcObject = null;
      this.video.remove();
      this.card?.stop();
      this.card = null;
    };
  }

  async toggle(): Promise<void> {
    if (document.pictureInPictureElement === this.video) await document.exitPictureInPicture();
    else await this.enter();
  }

  private async enter(): Promise<void> {
    if (!this.video.srcObject) return announce("There is no picture to show yet.");
    try {
      if (this.video.readyState < HTMLMediaElement.HAVE_METADATA) {
        await new Promise((resolve) => this.video.addEventListener("loadedmetadata", resolve, { once: true }));
      }
      await this.video.requestPictureInPicture();
    } catch (error) {
      console.debug("picture in picture refused", error);
    }
  }

  /** The stream of whoever the window shows now (reactive). */
  private stream(): MediaStream | null {
    const { meeting } = this.session;
    const subject = pipSubject(this.stage.layout.value, this.stage.speaker.value, this.session.present.value, meeting.myUid);
    if (!subject) return null;
    if (subject.uid === meeting.myUid) {
      const state = this.local.state.value;
      const track = subject.kind === "screen" ? state.screenTrack : state.cameraTrack;
      return track ? this.ownStream(track) : this.nameCard(subject.uid);
    }
    const link = this.session.link(subject.uid);
    if (!link) return null;
    if (subject.kind === "screen") return link.screenStream;
    const view = link.view.value;
    return view.videoLive && view.remoteMedia.video ? link.remoteStream : this.nameCard(subject.uid);
  }

  /** The card of someone whose camera is off (made at the first need: most never need one). */
  private nameCard(uid: string): MediaStream {
    this.card ??= new NameCard();
    return this.card.show(uid, this.session.name(uid));
  }

  /** One stream per own track: a new one at every change of our media would restart the picture. */
  private ownStream(track: MediaStreamTrack): MediaStream {
    if (this.own?.getTracks()[0] !== track) this.own = new MediaStream([track]);
    return this.own;
  }

  private show(stream: MediaStream | null): void {
    if (this.video.srcObject === stream) return;
    this.video.srcObject = stream;
    if (stream) void this.video.play().catch(() => undefined);
  }
}
