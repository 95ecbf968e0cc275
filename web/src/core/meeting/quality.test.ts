import { describe, expect, it } from "vitest";
import { assessQuality, type QualitySample } from "./quality";

const sample = (at: number, more: Partial<QualitySample> = {}): QualitySample => ({
  at,
  packetsReceived: 0,
  packetsLost: 0,
  bytesSent: 0,
  bytesReceived: 0,
  ...more,
});

describe("assessQuality", () => {
  it("says nothing when all is well", () => {
    const q = assessQuality(sample(0), sample(3000, { rttMs: 20, packetsReceived: 900, bytesSent: 375_000, bytesReceived: 750_000 }));
    expect(q).toMatchObject({ bars: 4, label: "Excellent", problem: null, lossPct: 0, sendKbps: 1000, receiveKbps: 2000 });
  });

  it("says what a person notices when packets are lost", () => {
    const q = assessQuality(sample(0, { packetsReceived: 1000 }), sample(3000, { packetsReceived: 1900, packetsLost: 100 }));
    expect(q.bars).toBe(1);
    expect(q.lossPct).toBe(10);
    expect(q.problem).toBe("unstable, sound and video break up");
  });

  it("counts the loss the other side reports of what we send", () => {
    const q = assessQuality(sample(0), sample(3000, { packetsReceived: 900, remoteFractionLost: 0.06 }));
    expect(q.bars).toBe(2);
    expect(q.problem).toBe("unstable, sound and video may break up");
  });

  it("names a long delay and a slow uplink", () => {
    expect(assessQuality(sample(0), sample(3000, { rttMs: 650 })).problem).toBe("long delay, speech may lag");
    expect(assessQuality(sample(0), sample(3000, { availableOutgoingKbps: 90 })).problem).toBe("slow, your video goes at low quality");
  });

  it("drops a bar without words for small troubles", () => {
    const q = assessQuality(sample(0), sample(3000, { rttMs: 300 }));
    expect(q).toMatchObject({ bars: 3, label: "Good", problem: null });
  });

  it("has no rates from a single sample", () => {
    const q = assessQuality(null, sample(3000, { rttMs: 10 }));
    expect(q).toMatchObject({ bars: 4, lossPct: null, sendKbps: null });
  });

  // Each threshold exactly at, and just under, its boundary: [bars, words] for a sample.
  const at = (more: Partial<QualitySample>, lost = 0, received = 1000) =>
    assessQuality(sample(0), sample(2000, { packetsLost: lost, packetsReceived: received, ...more }));
  it.each([
    [{ rttMs: 800 }, 1, "very long delay, speech lags"],
    [{ rttMs: 799 }, 2, "long delay, speech may lag"],
    [{ rttMs: 500 }, 2, "long delay, speech may lag"],
    [{ rttMs: 499 }, 3, null],
    [{ rttMs: 250 }, 3, null],
    [{ rttMs: 249 }, 4, null],
    [{ jitterMs: 40 }, 3, null],
    [{ jitterMs: 39 }, 4, null],
    [{ availableOutgoingKbps: 149 }, 2, "slow, your video goes at low quality"],
    [{ availableOutgoingKbps: 150 }, 4, null],
  ] as const)("at %o: %i bars, %s", (more, bars, problem) => {
    const q = at(more);
    expect([q.bars, q.problem]).toEqual([bars, problem]);
  });

  it.each([
    [100, 900, 1, "unstable, sound and video break up"], // 10 %
    [99, 901, 2, "unstable, sound and video may break up"],
    [50, 950, 2, "unstable, sound and video may break up"], // 5 %
    [49, 951, 3, null],
    [20, 980, 3, null], // 2 %
    [19, 981, 4, null],
  ])("with %i of %i+%i packets lost", (lost, received, bars, problem) => {
    const q = at({}, lost, received);
    expect([q.bars, q.problem, q.lossPct]).toEqual([bars, problem, (100 * lost) / (lost + received)]);
  });

  it("names the worst problem first and labels each level", () => {
    const q = at({ rttMs: 900 }, 100, 900);
    expect([q.bars, q.label, q.problem]).toEqual([1, "Bad", "unstable, sound and video break up"]);
    expect(at({ rttMs: 600 }).label).toBe("Poor");
    expect(at({ rttMs: 300 }).label).toBe("Good");
    expect(at({}).label).toBe("Excellent");
  });

  it("has no rate for a counter missing, going backwards or over no time", () => {
    const before = sample(1000, { bytesSent: 1000, bytesReceived: 5000 });
    expect(assessQuality(before, sample(3000, { bytesSent: 3000, bytesReceived: 4000 }))).toMatchObject({
      sendKbps: 8, // 2,000 bytes in 2 s
      receiveKbps: null, // the counter went back (a new transport)
    });
    expect(assessQuality(before, sample(1000, { bytesSent: 3000 })).sendKbps).toBeNull();
    expect(assessQuality(sample(0, { bytesSent: undefined }), sample(2000)).sendKbps).toBeNull();
    expect(assessQuality(sample(0), sample(2000, { bytesSent: undefined })).sendKbps).toBeNull();
    expect(assessQuality(before, sample(3000, { bytesSent: 1000 })).sendKbps).toBe(0);
  });

  it("reads loss only from counters that moved forward", () => {
    const before = sample(0, { packetsLost: 10, packetsReceived: 100 });
    expect(assessQuality(before, sample(2000, { packetsLost: 5, packetsReceived: 200 })).lossPct).toBeNull();
    expect(assessQuality(before, sample(2000, { packetsLost: 10, packetsReceived: 100 })).lossPct).toBeNull();
    expect(
      assessQuality(before, sample(2000, { packetsLost: 10, packetsReceived: 100, remoteFractionLost: 0.03 })).lossPct,
    ).toBe(3);
    expect(
      assessQuality(before, sample(2000, { packetsLost: 20, packetsReceived: 190, remoteFractionLost: 0.01 })).lossPct,
    ).toBe(10);
  });
});
