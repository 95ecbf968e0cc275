import { describe, expect, it } from "vitest";
import { certificateFingerprint, deviceCode, pairCode, sdpFingerprint } from "./safety";

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
