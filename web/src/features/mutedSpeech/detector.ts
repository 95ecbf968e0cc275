/**
 * "Are you talking? You are muted": decides from the microphone's level, sampled a few times a
 * second while the microphone is off, when to say so. Sustained sound (most of a couple of
 * seconds), not a cough, a click or a short beep; then not again for half a minute, so as not to
 * nag someone who muted on purpose in a noisy room. Pure.
 */

export interface MutedSpeechOptions {
  /** RMS level (0..1) from which a sample counts as sound. */
  threshold: number;
  /** How much sound, in the last `windowMs`, makes it speech. */
  speechMs: number;
  windowMs: number;
  /** After telling, how long before telling again. */
  repeatAfterMs: number;
}

export const MUTED_SPEECH_DEFAULTS: MutedSpeechOptions = { threshold: 0.02, speechMs: 1200, windowMs: 2000, repeatAfterMs: 30_000 };

export class MutedSpeechDetector {
  private voiced: number[] = [];
  private toldAt = -Infinity;

  constructor(
    /** How often the level is sampled: each voiced sample stands for this long. */
    private readonly sampleMs: number,
    private readonly options: MutedSpeechOptions = MUTED_SPEECH_DEFAULTS,
  ) {}

  /** One sample at `now` (ms) while muted; true when the person should be told now. */
  update(level: number, now: number): boolean {
    const { threshold, speechMs, windowMs, repeatAfterMs } = this.options;
    this.voiced = this.voiced.filter((at) => now - at < windowMs);
    if (level >= threshold) this.voiced.push(now);
    if (this.voiced.length * this.sampleMs < speechMs || now - this.toldAt < repeatAfterMs) return false;
    this.toldAt = now;
    this.voiced = [];
    return true;
  }

  /** The microphone went on: what was heard before no longer counts (the pause after telling does). */
  reset(): void {
    this.voiced = [];
  }
}
