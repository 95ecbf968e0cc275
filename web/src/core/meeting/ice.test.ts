import { describe, expect, it } from "vitest";
import { credentialFresh, hasRelay, turnExpiry, usableIceServers } from "./ice";
import { isLoopbackCandidate, stripCandidates } from "./sdp";

describe("ICE servers", () => {
  const servers = [
    { urls: ["stun:stun.example.org:3478"] },
    { urls: ["turn:127.0.0.1:3478?transport=udp", "turn:turn.example.org:3478"], username: "1900000000:uid", credential: "x" },
  ];

  it("keeps only loopback URLs in loopback-only mode", () => {
    expect(usableIceServers(servers, false)).toEqual(servers);
    expect(usableIceServers(servers, true)).toEqual([{ ...servers[1], urls: ["turn:127.0.0.1:3478?transport=udp"] }]);
  });

  it("reads the TURN credential's expiry", () => {
    expect(turnExpiry(servers)).toBe(1_900_000_000_000);
    expect(turnExpiry([{ urls: "stun:x" }])).toBeNull();
    expect(credentialFresh(null, 0)).toBe(true);
    expect(credentialFresh(100_000, 69_999)).toBe(true);
    expect(credentialFresh(100_000, 70_000)).toBe(false);
  });
});

describe("SDP helpers", () => {
  it("tells loopback candidates", () => {
    expect(isLoopbackCandidate("candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host")).toBe(true);
    expect(isLoopbackCandidate("candidate:1 1 udp 2122260223 ::1 54321 typ host")).toBe(true);
    expect(isLoopbackCandidate("candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host")).toBe(false);
  });

  it("strips candidates from an SDP", () => {
    const sdp = "v=0\r\na=candidate:1 1 udp 1 127.0.0.1 1 typ host\r\na=mid:0\r\na=end-of-candidates\r\n";
    expect(stripCandidates(sdp)).toBe("v=0\r\na=mid:0\r\n");
  });
});

describe("relays", () => {
  it("knows whether a relay is among the servers (privacy mode needs one)", () => {
    expect(hasRelay([{ urls: ["stun:stun.example.org:3478", "turn:127.0.0.1:3478?transport=udp"] }])).toBe(true);
    expect(hasRelay([{ urls: ["stun:stun.example.org:3478"] }])).toBe(false);
    expect(hasRelay([{ urls: "turns:turn.example.org:443" }])).toBe(true);
  });
});
