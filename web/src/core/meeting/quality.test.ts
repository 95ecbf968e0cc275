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
});
