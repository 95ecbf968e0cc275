/**
 * The local microphone, camera and screen. The camera and the screen are separate tracks sent side
 * by side (the screen with the tab's or system's audio where the browser offers it); peer links
 * follow "change" with replaceTrack on their slots (slots.ts).
 */
import { signal } from "@preact/signals-core";
import type { HostPermission } from "../../protocol.gen";
import { Emitter } from "../state/emitter";
import { checkOutput } from "./audioOutput";
import { describeMediaError, deviceLostNotice } from "./mediaWords";
import { CameraBackground } from "./background/camera";
import type { BackgroundEffect } from "./background/effect";
import type { BackgroundChoice } from "./background/geometry";
import { audioConstraints, loadPrefs, savePrefs, VIDEO_CONSTRAINTS, withDevice, type MediaPrefs } from "./mediaPrefs";

/** error: something failed (said at once); notice: something changed by itself (said politely). */
type MediaEvents = { change: void; error: string; notice: string };

/** What the controls, the lobby and the own tile show; a new object on every change. */
export interface LocalState {
  micOn: boolean;
  camOn: boolean;
  sharing: boolean;
  /** The shared screen carries sound (a tab's or the system's). */
  shareAudio: boolean;
  audioTrack: MediaStreamTrack | null;
  /** What is sent and shown of the camera: the camera's own track, or its picture with a background effect. */
  cameraTrack: MediaStreamTrack | null;
  /** The camera's own track (its device, its settings). */
  cameraSource: MediaStreamTrack | null;
  screenTrack: MediaStreamTrack | null;
  audioProblem: string | null;
  videoProblem: string | null;
}

/** getDisplayMedia's options: sound where offered, 15 frames/s (text stays sharp, CPU low). */
const DISPLAY_OPTIONS = {
  video: { frameRate: { ideal: 15, max: 30 } },
  audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
  systemAudio: "include",
  selfBrowserSurface: "exclude",
  surfaceSwitching: "include",
} as DisplayMediaStreamOptions;

export class LocalMedia extends Emitter<MediaEvents> {
  /** The stream peers associate our microphone and camera with (msid). */
  readonly stream = new MediaStream();
  /** The shared screen and its sound, a stream of their own. */
  readonly screenStream = new MediaStream();
  audioTrack: MediaStreamTrack | null = null;
  cameraTrack: MediaStreamTrack | null = null;
  cameraSource: MediaStreamTrack | null = null;
  screenTrack: MediaStreamTrack | null = null;
  screenAudioTrack: MediaStreamTrack | null = null;
  prefs: MediaPrefs = loadPrefs();
  /** Set when the browser refused a device, to explain why it is off. */
  audioProblem: string | null = null;
  videoProblem: string | null = null;
  readonly state = signal<LocalState>(this.snapshot());
  /** Whether our own picture is shown mirrored, here only (prefs.mirror). */
  readonly mirror = signal(this.prefs.mirror);
  readonly originalSound = signal(this.prefs.originalSound);
  /** What is done to our background (prefs.background), where the browser can. */
  readonly background = new CameraBackground(this.prefs.background);
  private effect: BackgroundEffect | null = null;
  /** The browser's devices once opened (labels need an open device), kept current as they come and go. */
  readonly devices = signal<readonly MediaDeviceInfo[] | null>(null);
  private readonly onDeviceChange = () => void this.refreshDevices();
  /** Counts stop()s: a reopen that outlives one gives its device back. */
  private epoch = 0;
  /** What a host turned off for us (features/hosts), with the words that say so: it stays off,
   * and asking for it says them. */
  private readonly held = new Map<HostPermission, string>();

  get micOn(): boolean {
    return !!this.audioTrack && this.audioTrack.enabled;
  }

  get camOn(): boolean {
    return !!this.cameraTrack;
  }

  get sharing(): boolean {
    return !!this.screenTrack;
  }

  /** Ask for the devices the preferences want (whatever is refused stays off), then follow the list. */
  async start(): Promise<void> {
    await this.open();
    navigator.mediaDevices?.addEventListener?.("devicechange", this.onDeviceChange);
    await this.refreshDevices();
  }

  private async refreshDevices(): Promise<void> {
    const list = await listDevices();
    this.devices.value = list;
    checkOutput(list);
  }

  private async open(): Promise<void> {
    if (this.prefs.camOn && navigator.mediaDevices?.getUserMedia) {
      // One request for both, so that the browser asks once.
      try {
        const stream = await navigator.mediaDevices.getUserMedia({
          audio: withDevice(audioConstraints(this.prefs.originalSound), this.prefs.audioDeviceId),
          video: withDevice(VIDEO_CONSTRAINTS, this.prefs.videoDeviceId),
        });
        this.setAudio(stream.getAudioTracks()[0] ?? null);
        this.setCamera(stream.getVideoTracks()[0] ?? null);
        this.update();
        return;
      } catch {
        // Fall back to asking for each device on its own: one may work without the other.
      }
    }
    await this.openAudio();
    if (this.prefs.camOn) await this.openCamera();
    this.update();
  }

  private async openAudio(): Promise<void> {
    if (!navigator.mediaDevices?.getUserMedia) {
      this.audioProblem = "This browser gives no access to microphones.";
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: withDevice(audioConstraints(this.prefs.originalSound), this.prefs.audioDeviceId),
      });
      this.setAudio(stream.getAudioTracks()[0] ?? null);
      this.audioProblem = null;
    } catch (error) {
      if (this.prefs.audioDeviceId && (error as DOMException).name === "OverconstrainedError") {
        this.prefs.audioDeviceId = undefined;
        return this.openAudio();
      }
      this.audioProblem = describeMediaError(error, "microphone");
      this.setAudio(null);
    }
  }

  private setAudio(track: MediaStreamTrack | null): void {
    // A track opened again (another device, original sound) is as on as the one it replaces,
    // which push to talk may hold on against the saved preference.
    const on = !this.held.has("mic") && (this.audioTrack ? this.audioTrack.enabled : this.prefs.micOn);
    if (this.audioTrack) {
      this.stream.removeTrack(this.audioTrack);
      this.audioTrack.stop();
    }
    this.audioTrack = track;
    if (track) {
      track.enabled = on;
      this.stream.addTrack(track);
      track.addEventListener("ended", () => {
        if (this.audioTrack === track) void this.reopen("microphone", track.label);
      });
    }
  }

  private async openCamera(): Promise<boolean> {
    if (this.held.has("camera")) return false;
    if (!navigator.mediaDevices?.getUserMedia) {
      this.videoProblem = "This browser gives no access to cameras.";
      return false;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        video: withDevice(VIDEO_CONSTRAINTS, this.prefs.videoDeviceId),
      });
      this.setCamera(stream.getVideoTracks()[0] ?? null);
      this.videoProblem = null;
      return !!this.cameraTrack;
    } catch (error) {
      if (this.prefs.videoDeviceId && (error as DOMException).name === "OverconstrainedError") {
        this.prefs.videoDeviceId = undefined;
        return this.openCamera();
      }
      this.videoProblem = describeMediaError(error, "camera");
      this.setCamera(null);
      return false;
    }
  }

  private setCamera(track: MediaStreamTrack | null): void {
    this.setCameraPicture(null);
    this.cameraSource?.stop();
    this.cameraSource = track;
    if (track) {
      track.addEventListener("ended", () => {
        if (this.cameraSource === track) void this.reopen("camera", track.label);
      });
      this.setCameraPicture(track);
    }
  }

  /** What the peers and our tile get of the camera `source`: itself, or its picture with an effect. */
  private setCameraPicture(source: MediaStreamTrack | null): void {
    if (this.cameraTrack) this.stream.removeTrack(this.cameraTrack);
    this.effect?.stop();
    this.effect = this.background.effect(source, (why) => this.emit("error", why));
    this.cameraTrack = this.effect?.track ?? source;
    if (this.cameraTrack) this.stream.addTrack(this.cameraTrack);
  }

  /**
   * A device in use stopped by itself ("ended" never follows our own stop()): unplugged, or taken
   * by the system. Open the chosen one again or, gone, the default (open* fall back), and say
   * which; the peers get the new track as after a choice in Devices.
   */
  private async reopen(what: "microphone" | "camera", lost: string): Promise<void> {
    const epoch = this.epoch;
    if (what === "microphone") {
      this.setAudio(null);
      await this.openAudio();
    } else {
      this.setCamera(null);
      await this.openCamera();
    }
    if (epoch !== this.epoch) {
      // Stopped meanwhile (the person left): release what was just opened, light off.
      if (what === "microphone") this.setAudio(null);
      else this.setCamera(null);
      return;
    }
    const now = what === "microphone" ? this.audioTrack : this.cameraTrack;
    this.update();
    const notice = deviceLostNotice(what, lost, now?.label ?? null);
    this.emit(now ? "notice" : "error", notice);
  }

  /** Original sound on or off: the microphone is opened again with the browser's processing off or on. */
  async setOriginalSound(on: boolean): Promise<void> {
    this.prefs.originalSound = on;
    this.originalSound.value = on;
    if (this.audioTrack) await this.openAudio();
    this.update();
  }

  /** A background effect chosen: the camera stays open; the peers get the other picture. */
  setBackground(choice: BackgroundChoice): void {
    if (choice === "picture" && !this.background.picture.peek()) return;
    this.prefs.background = choice;
    this.background.choice.value = choice;
    this.setCameraPicture(this.cameraSource);
    this.update();
  }

  /** A picture of one's own chosen for the background: kept, and shown behind us. */
  async choosePicture(file: Blob): Promise<void> {
    const problem = await this.background.keep(file);
    if (problem) this.emit("error", problem);
    else this.setBackground("picture");
  }

  /** The kept picture forgotten; the background as it is if it was the picture. */
  forgetPicture(): void {
    if (this.background.forget()) this.setBackground("none");
  }

  setMirror(on: boolean): void {
    this.prefs.mirror = on;
    this.mirror.value = on;
    savePrefs(this.prefs);
  }

  /**
   * The microphone on or off. `remember: false` is for a moment (push to talk): the saved
   * preference stays as it was, so a tab closed mid-hold does not start the next meeting heard.
   */
  async setMic(on: boolean, { remember = true }: { remember?: boolean } = {}): Promise<void> {
    if (on && this.refused("mic")) return;
    if (remember) this.prefs.micOn = on;
    if (on && !this.audioTrack) await this.openAudio();
    if (this.audioTrack) this.audioTrack.enabled = on;
    this.update();
  }

  async setCam(on: boolean): Promise<void> {
    if (on && this.refused("camera")) return;
    this.prefs.camOn = on;
    if (on && !this.cameraTrack) await this.openCamera();
    if (!on) this.setCamera(null); // release the device: the camera light goes off
    this.update();
  }

  async selectDevice(kind: "audioinput" | "videoinput", deviceId: string): Promise<void> {
    if (kind === "audioinput") {
      this.prefs.audioDeviceId = deviceId || undefined;
      await this.openAudio();
    } else {
      this.prefs.videoDeviceId = deviceId || undefined;
      if (this.prefs.camOn) await this.openCamera();
    }
    this.update();
  }

  async startScreenShare(): Promise<void> {
    if (this.refused("present")) return;
    if (!navigator.mediaDevices?.getDisplayMedia) {
      this.emit("error", "This browser cannot share the screen.");
      return;
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia(DISPLAY_OPTIONS);
    } catch (error) {
      if ((error as DOMException).name !== "NotAllowedError") {
        this.emit("error", describeMediaError(error, "screen"));
      }
      return;
    }
    const track = stream.getVideoTracks()[0];
    if (!track) return;
    track.contentHint = "detail";
    this.stopScreenShare(false);
    this.screenTrack = track;
    this.screenAudioTrack = stream.getAudioTracks()[0] ?? null;
    for (const t of stream.getTracks()) this.screenStream.addTrack(t);
    // The browser's own "Stop sharing" bar ends the video track.
    track.addEventListener("ended", () => {
      if (this.screenTrack === track) this.stopScreenShare();
    });
    this.update();
  }

  stopScreenShare(notify = true): void {
    const track = this.screenTrack;
    if (!track) return;
    this.screenTrack = null;
    for (const t of [track, this.screenAudioTrack]) {
      if (!t) continue;
      this.screenStream.removeTrack(t);
      t.stop();
    }
    this.screenAudioTrack = null;
    if (notify) this.update();
  }

  /** A host turned `what` off for us (`why` says so) or on again (null: it stays off until we
   * turn it on). The saved preferences stay as they were. */
  hold(what: HostPermission, why: string | null): void {
    if ((this.held.get(what) ?? null) === why) return;
    if (why === null) this.held.delete(what);
    else this.held.set(what, why);
    if (why !== null && what === "mic" && this.audioTrack) this.audioTrack.enabled = false;
    if (why !== null && what === "camera") this.setCamera(null);
    if (why !== null && what === "present") this.stopScreenShare(false);
    this.update();
  }

  private refused(what: HostPermission): boolean {
    const why = this.held.get(what);
    if (why) this.emit("error", why);
    return !!why;
  }

  stop(): void {
    this.epoch++;
    navigator.mediaDevices?.removeEventListener?.("devicechange", this.onDeviceChange);
    this.stopScreenShare(false);
    this.setAudio(null);
    this.setCamera(null);
    this.background.release();
    this.state.value = this.snapshot();
  }

  private snapshot(): LocalState {
    return {
      micOn: this.micOn,
      camOn: this.camOn,
      sharing: this.sharing,
      shareAudio: !!this.screenAudioTrack,
      audioTrack: this.audioTrack,
      cameraTrack: this.cameraTrack,
      cameraSource: this.cameraSource,
      screenTrack: this.screenTrack,
      audioProblem: this.audioProblem,
      videoProblem: this.videoProblem,
    };
  }

  private update(): void {
    savePrefs(this.prefs);
    this.state.value = this.snapshot();
    this.emit("change", undefined);
  }
}

export async function listDevices(): Promise<MediaDeviceInfo[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  try {
    return await navigator.mediaDevices.enumerateDevices();
  } catch {
    return [];
  }
}
