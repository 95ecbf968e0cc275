import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CandidateBatcher, EarlyCandidates, END_OF_CANDIDATES, FLUSH_QUIET_MS, MAX_BATCH } from "./candidates";

const candidate = (n: number) => ({ candidate: `candidate:${n} 1 udp 1 127.0.0.1 ${5000 + n} typ host`, sdpMid: "0", sdpMLineIndex: 0 });

describe("CandidateBatcher", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("flushes after a quiet spell", () => {
    const batches: unknown[][] = [];
    const b = new CandidateBatcher((batch) => batches.push(batch));
    b.add(candidate(1));
    b.add(candidate(2));
    vi.advanceTimersByTime(FLUSH_QUIET_MS - 1);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([[candidate(1), candidate(2)]]);
  });

  it("flushes at a full batch, and ends with the marker once", () => {
    const batches: unknown[][] = [];
    const b = new CandidateBatcher((batch) => batches.push(batch));
    for (let i = 0; i < MAX_BATCH + 1; i++) b.add(candidate(i));
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(MAX_BATCH);
    b.add(null);
    b.add({ candidate: "", sdpMid: null, sdpMLineIndex: null });
    expect(batches).toEqual([batches[0], [candidate(MAX_BATCH), END_OF_CANDIDATES]]);
    vi.runAllTimers();
    expect(batches).toHaveLength(2);
  });

  it("sends a new end marker after an ICE restart", () => {
    const batches: unknown[][] = [];
    const b = new CandidateBatcher((batch) => batches.push(batch));
    b.add(null);
    b.restart();
    b.add(null);
    expect(batches).toEqual([[END_OF_CANDIDATES], [END_OF_CANDIDATES]]);
  });
});

describe("EarlyCandidates", () => {
  const c = (n: number) => ({ candidate: `candidate:${n}`, sdpMid: "0", sdpMLineIndex: 0 });

  it("keeps candidates by sender and session until taken, once", () => {
    const early = new EarlyCandidates();
    early.keep("bob", "s1", [c(1)]);
    early.keep("bob", "s1", [c(2), END_OF_CANDIDATES]);
    early.keep("bob", "s2", [c(3)]);
    expect(early.take("bob", "s1")).toEqual([c(1), c(2), END_OF_CANDIDATES]);
    expect(early.take("bob", "s1")).toBeUndefined();
    expect(early.take("carol", "s2")).toBeUndefined();
    early.clear();
    expect(early.take("bob", "s2")).toBeUndefined();
  });
});
