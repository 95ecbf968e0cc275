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

/** A connected relay call: what collectStats reads of the report, with every counter set. */
function relayCall(overrides: Record<string, Record<string, unknown>> = {}): Record<string, unknown>[] {
  const base: Record<string, Record<string, unknown>> = {
    T: { id: "T", type: "transport", selectedCandidatePairId: "P", bytesSent: 1000.4, bytesReceived: 2000.6 },
    P: {
      id: "P",
      type: "candidate-pair",
      localCandidateId: "L",
      remoteCandidateId: "R",
      currentRoundTripTime: 0.02345,
      availableOutgoingBitrate: 1_234_567,
      bytesSent: 5,
      bytesReceived: 6,
    },
    L: { id: "L", type: "local-candidate", candidateType: "relay", address: "81.2.69.142", protocol: "udp", relayProtocol: "tls" },
    R: { id: "R", type: "remote-candidate", candidateType: "host", address: "81.2.69.143" },
    A: { id: "A", type: "inbound-rtp", kind: "audio", packetsReceived: 90, packetsLost: 10, jitter: 0.0234 },
    V: { id: "V", type: "inbound-rtp", kind: "video", packetsReceived: 900, packetsLost: -3, jitter: 0.5 },
    X: { id: "X", type: "remote-inbound-rtp", fractionLost: 0.25 },
    Y: { id: "Y", type: "remote-inbound-rtp", fractionLost: 0.125 },
  };
  for (const [id, changes] of Object.entries(overrides)) base[id] = { ...base[id], ...changes };
  return Object.values(base);
}

describe("connection stats", () => {
  it("read every counter report_connection and the quality bars need", async () => {
    const started = performance.now() - 5_000;
    const { stats, sample } = await collectStats(fakePc(relayCall()), started);
    expect(stats).toEqual({
      durationMs: expect.any(Number),
      packetsLost: 10, // a negative count (duplicates) adds nothing
      localCandidateType: "relay",
      remoteCandidateType: "host",
      protocol: "udp",
      relayProtocol: "tls",
      relayed: true,
      rttMs: 23.5, // a tenth of a millisecond
      bytesSent: 1000, // the transport's counters before the pair's
      bytesReceived: 2001,
    });
    expect(stats.durationMs).toBeGreaterThanOrEqual(5_000);
    expect(stats.durationMs).toBeLessThan(60_000);
    expect(sample).toEqual({
      at: expect.any(Number),
      packetsReceived: 990,
      packetsLost: 10,
      jitterMs: 23, // audio only
      remoteFractionLost: 0.25, // the worst of the streams
      rttMs: 23.5,
      availableOutgoingKbps: 1235,
      bytesSent: 1000,
      bytesReceived: 2001,
    });
  });

  it("tell a direct call from a relayed one, by either end", async () => {
    const direct = await collectStats(fakePc(relayCall({ L: { candidateType: "srflx" } })), performance.now());
    expect(direct.stats.relayed).toBe(false);
    expect(direct.stats.relayProtocol).toBeNull(); // only a relay end has one
    const theirs = await collectStats(
      fakePc(relayCall({ L: { candidateType: "host" }, R: { candidateType: "relay" } })),
      performance.now(),
    );
    expect(theirs.stats.relayed).toBe(true);
    expect(theirs.stats.relayProtocol).toBeNull();
    const odd = await collectStats(fakePc(relayCall({ L: { relayProtocol: "quic" } })), performance.now());
    expect(odd.stats.relayProtocol).toBeNull();
  });

  it("leave out what the browser did not say or said wrongly", async () => {
    const info = await collectStats(
      fakePc(
        relayCall({
          L: { candidateType: "local", protocol: "sctp" },
          R: { candidateType: 7 },
          P: { currentRoundTripTime: "fast", availableOutgoingBitrate: undefined },
          T: { bytesSent: "many", bytesReceived: undefined },
        }),
      ),
      performance.now(),
    );
    for (const key of ["localCandidateType", "remoteCandidateType", "protocol", "rttMs", "bytesSent", "bytesReceived"]) {
      expect(info.stats).not.toHaveProperty(key);
    }
    expect(info.sample).not.toHaveProperty("availableOutgoingKbps");
    expect(info.path).toBeUndefined(); // neither end has a candidate type the server takes
  });

  it("say when a video encoder of ours is short of CPU, and only then", async () => {
    const encoder = (reason: string, kind = "video") => ({ O: { id: "O", type: "outbound-rtp", kind, qualityLimitationReason: reason } });
    expect((await collectStats(fakePc(relayCall(encoder("cpu"))), performance.now())).sample.cpuLimited).toBe(true);
    for (const [reason, kind] of [["bandwidth", "video"], ["none", "video"], ["cpu", "audio"]]) {
      const info = await collectStats(fakePc(relayCall(encoder(reason, kind))), performance.now());
      expect(info.sample).not.toHaveProperty("cpuLimited");
    }
  });

  it("use the pair's counters when the transport has none, and find a pair without a transport", async () => {
    const noTransport = relayCall({ P: { state: "succeeded", nominated: true } }).filter((r) => r.id !== "T");
    const info = await collectStats(fakePc(noTransport), performance.now());
    expect(info.stats.localCandidateType).toBe("relay");
    expect([info.stats.bytesSent, info.stats.bytesReceived]).toEqual([5, 6]);
    const selected = relayCall({ P: { state: "succeeded", selected: true } }).filter((r) => r.id !== "T");
    expect((await collectStats(fakePc(selected), performance.now())).stats.localCandidateType).toBe("relay");
    for (const unusable of [{ state: "in-progress", nominated: true }, { state: "succeeded" }]) {
      const pairs = relayCall({ P: unusable }).filter((r) => r.id !== "T");
      expect((await collectStats(fakePc(pairs), performance.now())).stats).not.toHaveProperty("localCandidateType");
    }
  });

  it("skip a transport whose selected pair is missing for the next one", async () => {
    const reports = [
      { id: "T0", type: "transport", selectedCandidatePairId: "gone", bytesSent: 1 },
      ...relayCall(),
    ];
    const info = await collectStats(fakePc(reports), performance.now());
    expect(info.stats.bytesSent).toBe(1000);
  });

  it("count no loss and no jitter without inbound media, and only the duration when stats fail", async () => {
    const media = new Set(["A", "V", "X", "Y"]);
    const info = await collectStats(fakePc(relayCall().filter((r) => !media.has(String(r.id)))), performance.now());
    expect(info.stats).not.toHaveProperty("packetsLost");
    expect(info.sample).toMatchObject({ packetsReceived: 0, packetsLost: 0 });
    expect(info.sample).not.toHaveProperty("jitterMs");
    expect(info.sample).not.toHaveProperty("remoteFractionLost");
    const broken = { getStats: () => Promise.reject(new Error("closed")) } as unknown as RTCPeerConnection;
    const failed = await collectStats(broken, performance.now() + 1_000); // a clock step back
    expect(failed).toEqual({ stats: { durationMs: 0 }, sample: { at: expect.any(Number), packetsReceived: 0, packetsLost: 0 } });
  });
});
