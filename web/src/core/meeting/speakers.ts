/**
 * The active speaker, from the audio energy of each connection's received microphone and of our
 * own microphone as a sender takes it in (webrtc-stats totalAudioEnergy: every sample counts, so
 * a short word between two polls is not missed). Polled a few times a second while connected;
 * speaker.ts decides.
 */
import { signal } from "@preact/signals-core";
import type { AudioEnergy } from "./linkMedia";
import type { LocalMedia } from "./media";
import type { PeerLink } from "./peer";
import { levelBetween, SpeakerDetector, type SpeakerState } from "./speaker";

const POLL_MS = 400;
const QUIET: SpeakerState = { speaker: null, speaking: new Set() };

export interface SpeakerHost {
  readonly myUid: string;
  readonly local: LocalMedia;
  readonly links: ReadonlyMap<string, PeerLink>;
}

export class SpeakerMonitor {
  /** The dominant speaker (the layout favours it) and everyone speaking now (highlighted). */
  readonly state = signal<SpeakerState>(QUIET);
  private readonly detector = new SpeakerDetector();
  private energies = new Map<string, AudioEnergy>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private polling = false;

  constructor(private readonly host: SpeakerHost) {}

  start(): void {
    this.timer ??= setInterval(() => void this.poll(), POLL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.state.value = QUIET;
  }

  private level(key: string, energy: AudioEnergy | null, heard: boolean): number {
    if (!energy) return 0;
    const level = levelBetween(this.energies.get(key), energy);
    this.energies.set(key, energy);
    return heard ? level : 0;
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const { links, local, myUid } = this.host;
      const connected = [...links.values()].filter((link) => link.connectionState === "connected");
      if (!connected.length) {
        this.state.value = QUIET;
        return;
      }
      const levels = new Map<string, number>();
      const samples = await Promise.all(connected.map((link) => link.media.receivedEnergy().catch(() => null)));
      for (const [i, link] of connected.entries()) {
        levels.set(link.uid, this.level(link.uid, samples[i], link.media.shown(link.remoteMedia).audio));
      }
      // Our own level through one sender (its counter is per connection: keyed by it).
      const first = connected[0];
      const mine = await first.media.sentEnergy().catch(() => null);
      levels.set(myUid, this.level(`me:${first.uid}`, mine, local.micOn));
      this.state.value = this.detector.update(levels, performance.now());
    } finally {
      this.polling = false;
    }
  }
}
