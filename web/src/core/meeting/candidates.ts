/**
 * Trickle ICE, batched (docs/protocol.md section 4, step 6): local candidates are flushed after
 * FLUSH_QUIET_MS without a new one or at MAX_BATCH, the last batch carrying the end-of-candidates
 * marker. Pure but for its timer.
 */
import type { SignalCandidate } from "../../protocol.gen";

// Chromium finds its UDP host candidates within a few ms of each other and completes gathering
// (a TCP host candidate, then the end) 75-120 ms after the first: a quiet time past that sends
// them all with the end marker in one document instead of two (traced, 2026-12-04).
export const FLUSH_QUIET_MS = 150;
export const MAX_BATCH = 8;
export const END_OF_CANDIDATES: SignalCandidate = { candidate: "", sdpMid: null, sdpMLineIndex: null };

export class CandidateBatcher {
  private pending: SignalCandidate[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private endQueued = false;

  constructor(private readonly flushTo: (batch: SignalCandidate[]) => void) {}

  /** Gathering started again (ICE restart): a new end marker will follow. */
  restart(): void {
    this.endQueued = false;
  }

  /** A local candidate; null (or an empty one) marks the end of gathering. */
  add(candidate: SignalCandidate | null): void {
    if (!candidate || candidate.candidate === "") {
      if (this.endQueued) return;
      this.endQueued = true;
      this.pending.push(END_OF_CANDIDATES);
      this.flush();
      return;
    }
    this.pending.push(candidate);
    if (this.pending.length >= MAX_BATCH) {
      this.flush();
    } else {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.flush(), FLUSH_QUIET_MS);
    }
  }

  flush(): void {
    this.cancel();
    while (this.pending.length) this.flushTo(this.pending.splice(0, MAX_BATCH));
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** Candidates that came before the offer of their session (there is no connection for them yet),
 * kept by sender and session until the connection is made. */
export class EarlyCandidates {
  private readonly kept = new Map<string, SignalCandidate[]>();

  keep(uid: string, session: string, candidates: readonly SignalCandidate[]): void {
    const key = `${uid}/${session}`;
    this.kept.set(key, [...(this.kept.get(key) ?? []), ...candidates]);
  }

  /** Those kept for `uid`'s `session`, forgotten here (none: undefined). */
  take(uid: string, session: string): SignalCandidate[] | undefined {
    const key = `${uid}/${session}`;
    const kept = this.kept.get(key);
    this.kept.delete(key);
    return kept;
  }

  /** A new session of ours (a re-join): nothing kept is for it. */
  clear(): void {
    this.kept.clear();
  }
}
