import { describe, expect, it } from "vitest";
import { certificateFingerprint, connectionSafety, deviceCode, dtlsFingerprints, pairCode, sdpFingerprint } from "./safety";

// Expected values computed independently (Python hashlib), as tests/browser/test_aiortc_peer.py does.
const A = `sha-256 ${Array(32).fill("AB").join(":")}`;
const B = `sha-256 ${Array(32).fill("01").join(":")}`;

describe("safety codes", () => {
  it("give each certificate four words and a connection both, the same from both ends", async () => {
    expect(await deviceCode(A)).toBe("horn giggle certain science");
    expect(await deviceCode(B)).toBe("shrug spoon brand example");
    const code = "horn giggle certain science · shrug spoon brand example";
    expect(pairCode(await deviceCode(A), await deviceCode(B))).toBe(code);
    expect(pairCode(await deviceCode(B), await deviceCode(A))).toBe(code);
  });

  it("fingerprint a DER certificate as the SDP writes it", async () => {
    const der = Buffer.from(Array.from({ length: 40 }, (_, i) => i)).toString("base64");
    expect(await certificateFingerprint(der)).toBe(
      "sha-256 5F:AA:4E:EC:36:11:55:68:12:C2:D7:4B:43:7C:8C:49:AD:D3:F9:10:F1:00:63:D8:01:44:1F:7D:75:CD:5E:3B",
    );
  });

  it("read the sha-256 fingerprint line of an SDP", () => {
    const sdp = "v=0\r\na=fingerprint:sha-384 AA\r\na=fingerprint:sha-256 ab:cd\r\n";
    expect(sdpFingerprint(sdp)).toBe("sha-256 AB:CD");
    expect(sdpFingerprint("v=0\r\n")).toBeNull();
    expect(sdpFingerprint(null)).toBeNull();
  });
});

/** A connection as safety.ts reads it: its stats report and its two descriptions. */
function connection(stats: Record<string, unknown>[] | Error, local?: string, remote?: string): RTCPeerConnection {
  return {
    getStats: async () => {
      if (stats instanceof Error) throw stats;
      return new Map(stats.map((s) => [s.id, s]));
    },
    localDescription: local === undefined ? null : { sdp: local },
    remoteDescription: remote === undefined ? null : { sdp: remote },
  } as unknown as RTCPeerConnection;
}

const DER_A = Buffer.from("certificate of this device").toString("base64");
const DER_B = Buffer.from("certificate of the other device").toString("base64");
const transport = (dtlsState: string, id = "T1") => ({
  id,
  type: "transport",
  dtlsState,
  localCertificateId: "CL",
  remoteCertificateId: "CR",
});
const certificates = [
  { id: "CL", type: "certificate", base64Certificate: DER_A },
  { id: "CR", type: "certificate", base64Certificate: DER_B },
];

describe("a connection's safety", () => {
  it("comes from the certificates of the connected DTLS transport, local first", async () => {
    const pc = connection([transport("new", "T0"), transport("connected"), ...certificates]);
    const pair = await dtlsFingerprints(pc);
    expect(pair).toEqual([await certificateFingerprint(DER_A), await certificateFingerprint(DER_B)]);
    const info = await connectionSafety(pc);
    const mine = await deviceCode(pair![0]);
    const theirs = await deviceCode(pair![1]);
    expect(mine).not.toBe(theirs);
    expect(info).toEqual({ code: pairCode(mine, theirs), mine, theirs, remoteFingerprint: pair![1] });
  });

  it("is not read from a transport that has not connected, or without both certificates", async () => {
    expect(await dtlsFingerprints(connection([transport("connecting"), ...certificates]))).toBeNull();
    expect(await dtlsFingerprints(connection([transport("connected"), certificates[0]]))).toBeNull();
    const noBase64 = [{ id: "CL", type: "certificate" }, certificates[1]];
    expect(await dtlsFingerprints(connection([transport("connected"), ...noBase64]))).toBeNull();
    expect(await dtlsFingerprints(connection(new Error("closed")))).toBeNull();
  });

  it("falls back to the descriptions' fingerprints, and is unknown without both", async () => {
    const local = "a=fingerprint:sha-256 ab:ab\r\n";
    const remote = "a=fingerprint:sha-256 01:01\r\n";
    const info = await connectionSafety(connection([], local, remote));
    expect(info).toEqual({
      code: pairCode(await deviceCode("sha-256 AB:AB"), await deviceCode("sha-256 01:01")),
      mine: await deviceCode("sha-256 AB:AB"),
      theirs: await deviceCode("sha-256 01:01"),
      remoteFingerprint: "sha-256 01:01",
    });
    expect(await connectionSafety(connection([], local))).toBeNull();
    expect(await connectionSafety(connection([], undefined, remote))).toBeNull();
  });

  it("changes when either certificate changes: a machine in the middle shows other words", async () => {
    const real = await connectionSafety(connection([transport("connected"), ...certificates]));
    const middle = Buffer.from("certificate of a machine in the middle").toString("base64");
    for (const swapped of [
      [{ ...certificates[0], base64Certificate: middle }, certificates[1]],
      [certificates[0], { ...certificates[1], base64Certificate: middle }],
    ]) {
      const seen = await connectionSafety(connection([transport("connected"), ...swapped]));
      expect(seen?.code).not.toBe(real?.code);
    }
  });

  it("computes a device code once per fingerprint", () => {
    expect(deviceCode(A)).toBe(deviceCode(A));
  });
});
