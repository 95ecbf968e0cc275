/**
 * Trickle ICE, batched (docs/protocol.md section 4, step 6): local candidates are flushed after
 * FLUSH_QUIET_MS without a new one or at MAX_BATCH, the last batch carrying the end-of-candidates
 * marker. While a description is being prepared the batcher is held: the candidates gathered by
 * then travel in the description itself (step 3), and only the rest are trickled after it.
 * Pure but for its timer.
 */
import type { SignalCandidate } from "../../protocol.gen";
import { candidateKey } from "./sdp";

export const FLUSH_QUIET_MS = 100;
export const MAX_BATCH = 8;
export const END_OF_CANDIDATES: SignalCandidate = { candidate: "", sdpMid: null, sdpMLineIndex: null };

export class CandidateBatcher {
  private pending: SignalCandidate[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private endQueued = false;
  private holds = 0;

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

  /** A description is being prepared: send nothing until it has gone (`release`). */
  hold(): void {
    this.holds++;
  }

  /**
   * The description went with the candidates `sent` (compared by `candidateKey`) and, when
   * `endSent`, the end-of-candidates marker: those are not trickled again; the rest follow it.
   */
  release(sent: Iterable<string>, endSent: boolean): void {
    this.holds = Math.max(0, this.holds - 1);
    const inDescription = new Set(Array.from(sent, candidateKey));
    this.pending = this.pending.filter((c) => (c.candidate === "" ? !endSent : !inDescription.has(candidateKey(c.candidate))));
    if (endSent) this.endQueued = true;
    if (this.pending.length) this.flush();
  }

  flush(): void {
    this.cancel();
    if (this.holds > 0) return;
    while (this.pending.length) this.flushTo(this.pending.splice(0, MAX_BATCH));
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
