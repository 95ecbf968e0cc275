/**
 * The answer as it is sent (docs/protocol.md section 4, steps 4 and 6): after a short wait for
 * ICE gathering, with the candidates gathered by then, filtered as trickled ones are.
 */
import { LIMITS } from "../../protocol.gen";
import type { CandidateBatcher } from "./candidates";
import { sdpCandidates, stripCandidates, withCandidates } from "./sdp";

/**
 * How long at most an answer waits for ICE gathering to complete so that its candidates travel
 * in it (an answering Chromium completes in 10–35 ms with host candidates; a TURN allocation
 * takes a round trip or two). What is not gathered by then is trickled after it.
 */
export const GATHER_WAIT_MS = 150;

export interface OutgoingDescription {
  sdp: string;
  /** The candidates the SDP carries (not to be trickled again). */
  candidates: string[];
  /** Whether it carries the end-of-candidates marker. */
  complete: boolean;
}

/**
 * The SDP to send for `sdp`: with the candidates `outgoing` lets through, the end marked when
 * gathering is `complete`; without any candidate when that would pass the rules' SDP limit
 * (all of them trickled then). Pure.
 */
export function outgoingSdp(sdp: string, outgoing: (candidate: string) => string | null, complete: boolean): OutgoingDescription {
  const full = withCandidates(sdp, outgoing, complete);
  if (full.length <= LIMITS.sdpMaxChars) return { sdp: full, candidates: sdpCandidates(full), complete };
  return { sdp: stripCandidates(sdp), candidates: [], complete: false };
}

/** Resolves once `pc` has gathered all its candidates, or after `ms` at most. */
export function iceGathered(pc: RTCPeerConnection, ms: number): Promise<void> {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener("icegatheringstatechange", check);
      resolve();
    };
    const check = () => {
      if (pc.iceGatheringState === "complete") done();
    };
    const timer = setTimeout(done, ms);
    pc.addEventListener("icegatheringstatechange", check);
  });
}

/**
 * An answer set as local description, waiting (`wait`) for its candidates; sent once, at the
 * latest when `flush` is called (a newer description of ours must not go before it). The
 * batcher is held meanwhile and told which candidates (and whether the end) went in it.
 */
export class PendingAnswer {
  private sent = false;

  constructor(
    private readonly pc: RTCPeerConnection,
    private readonly batcher: Pick<CandidateBatcher, "hold" | "release">,
    private readonly outgoing: (candidate: string) => string | null,
    private readonly send: (sdp: string) => void,
  ) {
    batcher.hold();
  }

  async wait(ms = GATHER_WAIT_MS): Promise<void> {
    await iceGathered(this.pc, ms);
    this.flush();
  }

  flush(): void {
    if (this.sent) return;
    this.sent = true;
    // The answer even when a newer offer of ours has been set meanwhile (a renegotiation).
    const answer = this.pc.currentLocalDescription;
    if (answer?.type !== "answer") {
      this.batcher.release([], false);
      return;
    }
    const out = outgoingSdp(answer.sdp, this.outgoing, this.pc.iceGatheringState === "complete");
    this.send(out.sdp);
    this.batcher.release(out.candidates, out.complete);
  }
}
