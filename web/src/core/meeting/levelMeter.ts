/** A microphone's level, measured in the page with Web Audio; nothing of it leaves the page. */
import { rms } from "./level";

/**
 * The level (RMS of full scale) of one microphone track, sampled every `everyMs`, heard through a
 * clone of it: the track itself (and whether it is enabled, what the peers get) is untouched.
 */
export class LevelMeter {
  private readonly context = new AudioContext();
  private readonly clone: MediaStreamTrack;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(track: MediaStreamTrack, everyMs: number, onLevel: (level: number) => void) {
    this.clone = track.clone();
    this.clone.enabled = true;
    const analyser = this.context.createAnalyser();
    analyser.fftSize = 2048;
    this.context.createMediaStreamSource(new MediaStream([this.clone])).connect(analyser);
    const block = new Float32Array(analyser.fftSize);
    void this.context.resume().catch(() => undefined);
    this.timer = setInterval(() => {
      analyser.getFloatTimeDomainData(block);
      onLevel(rms(block));
    }, everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.clone.stop();
    void this.context.close().catch(() => undefined);
  }
}
