/**
 * An offer left unanswered is sent again (docs/protocol.md section 4, step 3).
 *
 * An offer or its answer can be lost for good: the rules refuse every signal of a sender the
 * server caught over a signal limit until its `blockedUntil` (section 3), and a write can fail
 * for other reasons the SDK does not repeat. Nothing else would move the connection then: it
 * waits in `have-local-offer`, its tile saying "Connecting…", until someone reloads. So an offer
 * still unanswered after `afterMs` is written again as it is, at most `max` times in a row;
 * after that the connection has failed.
 *
 * The same offer, not a new one: to the other side, which may have applied and answered it,
 * it is a renegotiation that changes nothing, answered again; a new offer (rolled back and made
 * again) would renumber the media sections of a first offer and change its DTLS role, which the
 * other side then refuses.
 */
export const REOFFER_AFTER_MS = 15_000;
export const MAX_REOFFERS = 3;

/** What the watch needs of an RTCPeerConnection. */
export type Offering = Pick<RTCPeerConnection, "signalingState" | "addEventListener">;

export class OfferWatch {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private unanswered = 0;
  private stopped = false;

  /** `resend`: write our current local offer again; `giveUp`: `max` resent, none answered. */
  constructor(
    private readonly pc: Offering,
    private readonly resend: () => void,
    private readonly giveUp: () => void,
    private readonly afterMs = REOFFER_AFTER_MS,
    private readonly max = MAX_REOFFERS,
  ) {
    pc.addEventListener("signalingstatechange", () => this.saw());
  }

  /** The connection connected: a later offer (a renegotiation) gets its own `max` tries. */
  connected(): void {
    this.unanswered = 0;
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  /** A local offer starts the clock; any other state (the answer applied, the offer rolled back
   * in a collision, closed) stops it. */
  private saw(): void {
    if (this.stopped || this.pc.signalingState !== "have-local-offer") this.clear();
    else this.arm();
  }

  private arm(): void {
    this.timer ??= setTimeout(() => this.expired(), this.afterMs);
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private expired(): void {
    this.timer = null;
    if (this.stopped || this.pc.signalingState !== "have-local-offer") return;
    if (++this.unanswered > this.max) {
      this.giveUp();
      return;
    }
    this.resend();
    this.arm();
  }
}
