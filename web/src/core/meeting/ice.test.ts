import { describe, expect, it } from "vitest";
import { credentialFresh, hasRelay, turnExpiry, usableIceServers } from "./ice";
import { candidateType, isLoopbackCandidate, relayOnlyCandidate, sdpCandidates, stripCandidates, withCandidates } from "./sdp";

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

  // As Chromium describes a bundled offer once gathering is done: the default candidate's
  // address in c= and the port in m=, the candidates in the first section.
  const gathered = [
    "v=0",
    "o=- 1 2 IN IP4 127.0.0.1",
    "a=group:BUNDLE 0 1",
    "m=audio 54321 UDP/TLS/RTP/SAVPF 111",
    "c=IN IP4 192.0.2.1",
    "a=rtcp:9 IN IP4 0.0.0.0",
    "a=candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host generation 0",
    "a=candidate:2 1 udp 2122260223 127.0.0.1 54322 typ host generation 0",
    "a=candidate:3 1 udp 41885439 198.51.100.7 50001 typ relay raddr 192.0.2.1 rport 54321 generation 0",
    "a=mid:0",
    "m=application 0 UDP/DTLS/SCTP webrtc-datachannel",
    "c=IN IP6 ::",
    "a=mid:1",
    "",
  ].join("\r\n");

  it("sends the gathered candidates through the trickle filter, addresses neutral, the end marked", () => {
    const keep = (line: string) => (isLoopbackCandidate(line) ? line : null);
    expect(withCandidates(gathered, keep, true).split("\r\n")).toEqual([
      "v=0",
      "o=- 1 2 IN IP4 127.0.0.1",
      "a=group:BUNDLE 0 1",
      "m=audio 9 UDP/TLS/RTP/SAVPF 111",
      "c=IN IP4 0.0.0.0",
      "a=rtcp:9 IN IP4 0.0.0.0",
      "a=candidate:2 1 udp 2122260223 127.0.0.1 54322 typ host generation 0",
      "a=mid:0",
      "a=end-of-candidates",
      "m=application 0 UDP/DTLS/SCTP webrtc-datachannel", // a rejected section keeps its port 0
      "c=IN IP4 0.0.0.0",
      "a=mid:1",
      "a=end-of-candidates",
      "",
    ]);
  });

  it("marks no end while gathering goes on, and rewrites what privacy mode sends", () => {
    const sdp = withCandidates(gathered, relayOnlyCandidate, false);
    expect(sdp).not.toContain("end-of-candidates");
    expect(sdp).not.toContain("192.0.2.1");
    expect(sdpCandidates(sdp)).toEqual([
      "candidate:3 1 udp 41885439 198.51.100.7 50001 typ relay raddr 0.0.0.0 rport 0 generation 0",
    ]);
    expect(sdpCandidates(stripCandidates(gathered))).toEqual([]);
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
