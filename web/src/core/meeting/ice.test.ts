import { describe, expect, it } from "vitest";
import { credentialFresh, hasRelay, turnExpiry, usableIceServers } from "./ice";
import { candidateType, isLoopbackCandidate, relayOnlyCandidate, stripCandidates } from "./sdp";

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

describe("privacy mode's candidates", () => {
  const relay = "candidate:9 1 udp 41885439 198.51.100.7 50001 typ relay raddr 203.0.113.5 rport 61000 generation 0";
  it("keeps relay candidates only, without the address the relay saw", () => {
    expect(candidateType(relay)).toBe("relay");
    expect(relayOnlyCandidate(relay)).toBe("candidate:9 1 udp 41885439 198.51.100.7 50001 typ relay raddr 0.0.0.0 rport 0 generation 0");
    expect(relayOnlyCandidate("candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host generation 0")).toBeNull();
    expect(relayOnlyCandidate("candidate:2 1 udp 1686052607 203.0.113.5 61000 typ srflx raddr 192.0.2.1 rport 54321")).toBeNull();
  });
});
