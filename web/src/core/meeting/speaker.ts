/**
 * Who is speaking, from audio levels sampled a few times a second (RMS, 0..1). Pure.
 *
 * - `speaking`: everyone whose smoothed level is above the threshold now (the tiles' highlight).
 *   The level decays rather than drops, so the highlight does not flicker between words.
 * - `speaker`: the dominant speaker, whom the layout favours. It changes only when someone else
 *   has been the loudest speaker for `switchMs` while the current one is quiet or quieter, so a
 *   cough or a short "yes" does not move the stage; it stays the last speaker through silence.
 */

export interface SpeakerOptions {
  /** Smoothed RMS level above which someone counts as speaking. */
  threshold: number;
  /** How long someone else must lead before the dominant speaker changes. */
  switchMs: number;
  /** Per second, how much of the smoothed level is kept when the level falls. */
  decayPerSecond: number;
}

export const SPEAKER_DEFAULTS: SpeakerOptions = { threshold: 0.015, switchMs: 700, decayPerSecond: 0.1 };

export interface SpeakerState {
  speaker: string | null;
  speaking: ReadonlySet<string>;
}

export class SpeakerDetector {
  private smoothed = new Map<string, number>();
  private lastAt: number | null = null;
  private leader: { uid: string; since: number } | null = null;
  private state: SpeakerState = { speaker: null, speaking: new Set() };

  constructor(private readonly options: SpeakerOptions = SPEAKER_DEFAULTS) {}

  get current(): SpeakerState {
    return this.state;
  }

  /** Feed one sample of everyone's level at `now` (ms); returns the new state. */
  update(levels: ReadonlyMap<string, number>, now: number): SpeakerState {
    const elapsed = this.lastAt === null ? 0 : Math.max(0, now - this.lastAt) / 1000;
    this.lastAt = now;
    const keep = Math.pow(this.options.decayPerSecond, elapsed);
    const next = new Map<string, number>();
    for (const [uid, level] of levels) {
      const previous = (this.smoothed.get(uid) ?? 0) * keep;
      next.set(uid, Math.max(Number.isFinite(level) ? level : 0, previous));
    }
    this.smoothed = next;
    const speaking = new Set([...next].filter(([, level]) => level >= this.options.threshold).map(([uid]) => uid));
    const speaker = this.dominant(next, speaking, now);
    const changed = speaker !== this.state.speaker || !sameSet(speaking, this.state.speaking);
    if (changed) this.state = { speaker, speaking };
    return this.state;
  }

  private dominant(levels: ReadonlyMap<string, number>, speaking: ReadonlySet<string>, now: number): string | null {
    let loudest: string | null = null;
    for (const uid of speaking) {
      if (loudest === null || (levels.get(uid) ?? 0) > (levels.get(loudest) ?? 0)) loudest = uid;
    }
    const current = this.state.speaker !== null && levels.has(this.state.speaker) ? this.state.speaker : null;
    if (loudest === null || loudest === current) {
      this.leader = null;
      return current;
    }
    if (current === null) {
      this.leader = null;
      return loudest;
    }
    if (!this.leader || this.leader.uid !== loudest) this.leader = { uid: loudest, since: now };
    return now - this.leader.since >= this.options.switchMs ? loudest : current;
  }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** RMS level over an interval from the cumulative `totalAudioEnergy` and `totalSamplesDuration`. */
export function levelBetween(
  before: { energy: number; duration: number } | undefined,
  after: { energy: number; duration: number },
): number {
  if (!before) return 0;
  const duration = after.duration - before.duration;
  const energy = after.energy - before.energy;
  return duration > 0 && energy > 0 ? Math.sqrt(energy / duration) : 0;
}
