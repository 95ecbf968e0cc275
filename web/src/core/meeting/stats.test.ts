import { describe, expect, it } from "vitest";
import { collectStats, pathEnd } from "./stats";

function fakePc(reports: Record<string, unknown>[]): RTCPeerConnection {
  const map = new Map(reports.map((r) => [String(r.id), r]));
  return { getStats: () => Promise.resolve(map) } as unknown as RTCPeerConnection;
}

describe("connection path", () => {
  it("reports both ends of the selected pair, as addresses and candidate types", async () => {
    const pc = fakePc([
      { id: "T", type: "transport", selectedCandidatePairId: "P", bytesSent: 10, bytesReceived: 20 },
      { id: "P", type: "candidate-pair", localCandidateId: "L", remoteCandidateId: "R", currentRoundTripTime: 0.012 },
      { id: "L", type: "local-candidate", candidateType: "srflx", address: "81.2.69.142", port: 5000, protocol: "udp" },
      { id: "R", type: "remote-candidate", candidateType: "prflx", address: "", port: 6000 },
    ]);
    const info = await collectStats(pc, performance.now());
    expect(info.path).toEqual({
      local: { address: "81.2.69.142", candidateType: "srflx" },
      remote: { address: "", candidateType: "prflx" },
    });
    expect(info.stats.rttMs).toBe(12);
  });

  it("sends no path without a selected pair", async () => {
    const info = await collectStats(fakePc([]), performance.now());
    expect(info.path).toBeUndefined();
  });

  it("normalises one end: no brackets or zone, hidden when missing or too long", () => {
    expect(pathEnd({ candidateType: "host", address: "[2001:480::1]" })).toEqual({ address: "2001:480::1", candidateType: "host" });
    expect(pathEnd({ candidateType: "host", address: "fe80::1%eth0" })).toEqual({ address: "fe80::1", candidateType: "host" });
    expect(pathEnd({ candidateType: "relay" })).toEqual({ address: "", candidateType: "relay" });
    expect(pathEnd({ candidateType: "host", address: "x".repeat(65) })).toEqual({ address: "", candidateType: "host" });
    expect(pathEnd({ candidateType: "bogus", address: "1.2.3.4" })).toBeUndefined();
    expect(pathEnd(undefined)).toBeUndefined();
  });
});
