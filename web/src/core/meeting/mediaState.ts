/**
 * What we tell each peer about our media on the chat channel ({"t":"media"}: microphone, camera,
 * screen, recording) and what we ask of theirs ({"t":"want"}, adaptation.ts); both again whenever
 * the local media, the recording or audio-only mode change.
 */
import type { Adaptation } from "./adaptation";
import { encodeMedia } from "./chatChannel";
import type { LocalMedia } from "./media";
import type { PeerLink } from "./peer";

export class MediaState {
  /** Recording in progress is announced to everyone (a courtesy the others can see), and a
   * recording paused as such: nothing is recorded meanwhile. */
  recording: boolean | "paused" = false;

  constructor(
    private readonly local: LocalMedia,
    private readonly links: ReadonlyMap<string, PeerLink>,
    private readonly adaptation: Adaptation,
  ) {}

  /** A chat channel opened: the peer learns what we send and what we want. */
  opened(link: PeerLink): void {
    this.send(link);
    this.adaptation.tell(link, true);
  }

  send(link: PeerLink): void {
    const { local } = this;
    const video = !this.adaptation.audioOnly.peek();
    link.send("chat", encodeMedia({ audio: local.micOn, video: video && !!local.cameraTrack, screen: video && local.sharing, recording: this.recording === true, recordingPaused: this.recording === "paused" }));
  }

  /** The local media changed: new tracks on every sender, and everyone is told. */
  localChanged(): void {
    for (const link of this.links.values()) {
      void link.syncTracks();
      this.send(link);
    }
    this.adaptation.schedule();
  }

  setRecording(on: boolean | "paused"): void {
    this.recording = on;
    for (const link of this.links.values()) this.send(link);
  }

  /** Audio only: no video sent or received (the others see our avatar). */
  setAudioOnly(on: boolean): void {
    this.adaptation.setAudioOnly(on);
    for (const link of this.links.values()) this.send(link);
  }
}
