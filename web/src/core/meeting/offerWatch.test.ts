import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_REOFFERS, OfferWatch, REOFFER_AFTER_MS, type Offering } from "./offerWatch";

/** The part of an RTCPeerConnection the watch reads: its signaling state and that event. */
class FakeConnection {
  signalingState: RTCSignalingState = "stable";
  private listener: (() => void) | null = null;

  addEventListener(_type: string, listener: () => void): void {
    this.listener = listener;
  }

  to(state: RTCSignalingState): void {
    this.signalingState = state;
    this.listener?.();
  }
}

function watched() {
  const pc = new FakeConnection();
  const counts = { resent: 0, gaveUp: 0 };
  const watch = new OfferWatch(pc as unknown as Offering, () => counts.resent++, () => counts.gaveUp++);
  return { pc, counts, watch };
}

describe("OfferWatch", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("leaves an offer answered in time alone", async () => {
    const { pc, counts } = watched();
    pc.to("have-local-offer");
    await vi.advanceTimersByTimeAsync(REOFFER_AFTER_MS - 1);
    pc.to("stable"); // the answer
    await vi.advanceTimersByTimeAsync(10 * REOFFER_AFTER_MS);
    expect(counts).toEqual({ resent: 0, gaveUp: 0 });
  });

  it("sends an unanswered offer again, every period until it is answered", async () => {
    const { pc, counts } = watched();
    pc.to("have-local-offer");
    await vi.advanceTimersByTimeAsync(REOFFER_AFTER_MS);
    expect(counts.resent).toBe(1);
    await vi.advanceTimersByTimeAsync(REOFFER_AFTER_MS);
    expect(counts.resent).toBe(2);
    pc.to("stable"); // this one is answered
    await vi.advanceTimersByTimeAsync(10 * REOFFER_AFTER_MS);
    expect(counts).toEqual({ resent: 2, gaveUp: 0 });
  });

  it(`gives up once ${MAX_REOFFERS} offers sent again went unanswered too`, async () => {
    const { pc, counts } = watched();
    pc.to("have-local-offer");
    await vi.advanceTimersByTimeAsync(MAX_REOFFERS * REOFFER_AFTER_MS);
    expect(counts).toEqual({ resent: MAX_REOFFERS, gaveUp: 0 });
    await vi.advanceTimersByTimeAsync(REOFFER_AFTER_MS);
    expect(counts).toEqual({ resent: MAX_REOFFERS, gaveUp: 1 });
    await vi.advanceTimersByTimeAsync(10 * REOFFER_AFTER_MS);
    expect(counts).toEqual({ resent: MAX_REOFFERS, gaveUp: 1 });
  });

  it("gives a renegotiation after a connection its own tries", async () => {
    const { pc, counts, watch } = watched();
    pc.to("have-local-offer");
    await vi.advanceTimersByTimeAsync(MAX_REOFFERS * REOFFER_AFTER_MS);
    pc.to("stable");
    watch.connected();
    pc.to("have-local-offer"); // e.g. a screen slot the other side's offer lacked
    await vi.advanceTimersByTimeAsync(MAX_REOFFERS * REOFFER_AFTER_MS);
    expect(counts).toEqual({ resent: 2 * MAX_REOFFERS, gaveUp: 0 });
  });

  it("does nothing once stopped (the link closed)", async () => {
    const { pc, counts, watch } = watched();
    pc.to("have-local-offer");
    watch.stop();
    pc.to("have-local-offer");
    await vi.advanceTimersByTimeAsync(10 * REOFFER_AFTER_MS);
    expect(counts).toEqual({ resent: 0, gaveUp: 0 });
  });
});
