import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { IceRestarts, MAX_ICE_RESTARTS, RESTART_WAIT_MS } from "./iceRestarts";

function restarts(allowed = () => true, up = () => false) {
  const counts = { restarted: 0, gaveUp: 0 };
  const policy = new IceRestarts(
    () => allowed() && ++counts.restarted > 0,
    () => counts.gaveUp++,
    up,
  );
  return { counts, policy };
}

describe("IceRestarts", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("restarts again while the connection does not come back, then gives up once", () => {
    const { counts, policy } = restarts();
    expect(policy.now()).toBe(true);
    expect(counts).toEqual({ restarted: 1, gaveUp: 0 });
    vi.advanceTimersByTime(RESTART_WAIT_MS - 1);
    expect(counts.restarted).toBe(1);
    vi.advanceTimersByTime(1);
    expect(counts.restarted).toBe(2); // nothing else would have tried (a failed state that stays)
    vi.advanceTimersByTime(RESTART_WAIT_MS * 10);
    expect(counts).toEqual({ restarted: MAX_ICE_RESTARTS, gaveUp: 1 });
    expect(policy.now()).toBe(false); // given up: no restart after
    expect(counts.restarted).toBe(MAX_ICE_RESTARTS);
  });

  it("counts restarts in a row: connecting gives them back and stops the clock", () => {
    const { counts, policy } = restarts();
    policy.now();
    policy.now(); // a failure during the first restart: the clock starts again
    policy.connected();
    vi.advanceTimersByTime(RESTART_WAIT_MS * 10);
    expect(counts).toEqual({ restarted: 2, gaveUp: 0 });
    for (let i = 0; i < MAX_ICE_RESTARTS; i++) expect(policy.now()).toBe(true);
    expect(policy.now()).toBe(false); // the fifth in a row is not made: given up
    expect(counts).toEqual({ restarted: 2 + MAX_ICE_RESTARTS, gaveUp: 1 });
    vi.advanceTimersByTime(RESTART_WAIT_MS * 10);
    expect(counts.gaveUp).toBe(1);
  });

  it("does not repeat a restart of a connection that stayed up (a network change)", () => {
    const { counts, policy } = restarts(undefined, () => true);
    for (let i = 0; i < 10; i++) {
      expect(policy.now()).toBe(true);
      vi.advanceTimersByTime(RESTART_WAIT_MS);
    }
    expect(counts).toEqual({ restarted: 10, gaveUp: 0 }); // each found it up: the count went back
  });

  it("neither restarts nor gives up when a restart may not be made, nor once stopped", () => {
    let allowed = true;
    const { counts, policy } = restarts(() => allowed);
    policy.now();
    allowed = false; // e.g. the TURN credential expired: the meeting re-joins instead
    vi.advanceTimersByTime(RESTART_WAIT_MS * 10);
    expect(counts).toEqual({ restarted: 1, gaveUp: 0 });

    const other = restarts();
    other.policy.now();
    other.policy.stop(); // closed
    vi.advanceTimersByTime(RESTART_WAIT_MS * 10);
    expect(other.counts).toEqual({ restarted: 1, gaveUp: 0 });
    expect(other.policy.now()).toBe(false);
  });
});
