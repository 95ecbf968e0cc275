import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CandidateBatcher } from "./candidates";
import { GATHER_WAIT_MS, PendingAnswer, outgoingSdp } from "./describe";

const host = "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0";
const sdpWith = (lines: string[]) => ["v=0", "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0", ...lines, "a=mid:0", ""].join("\r\n");

/** What PendingAnswer reads of an RTCPeerConnection, gathering driven by the test. */
class FakePc extends EventTarget {
  iceGatheringState: RTCIceGatheringState = "gathering";
  currentLocalDescription: { type: RTCSdpType; sdp: string } | null = { type: "answer", sdp: sdpWith([]) };
  complete(lines: string[]): void {
    this.currentLocalDescription = { type: "answer", sdp: sdpWith(lines) };
    this.iceGatheringState = "complete";
    this.dispatchEvent(new Event("icegatheringstatechange"));
  }
}

function setUp() {
  const pc = new FakePc();
  const trickled: unknown[][] = [];
  const batcher = new CandidateBatcher((batch) => trickled.push(batch));
  const sent: string[] = [];
  const answer = new PendingAnswer(pc as unknown as RTCPeerConnection, batcher, (line) => line, (sdp) => sent.push(sdp));
  return { pc, batcher, trickled, sent, answer };
}

describe("PendingAnswer", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("goes once gathering completes, with every candidate and the end, and nothing is trickled", async () => {
    const { pc, batcher, trickled, sent, answer } = setUp();
    const waiting = answer.wait();
    batcher.add({ candidate: host, sdpMid: "0", sdpMLineIndex: 0 });
    batcher.add(null);
    pc.complete([`a=${host}`]);
    await waiting;
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain(`a=${host}\r\n`);
    expect(sent[0]).toContain("a=end-of-candidates");
    vi.runAllTimers();
    expect(trickled).toEqual([]);
  });

  it("goes after GATHER_WAIT_MS without the end, which is trickled when it comes", async () => {
    const { batcher, trickled, sent, answer } = setUp();
    const waiting = answer.wait();
    await vi.advanceTimersByTimeAsync(GATHER_WAIT_MS);
    await waiting;
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toContain("end-of-candidates");
    batcher.add({ candidate: host, sdpMid: "0", sdpMLineIndex: 0 });
    batcher.add(null);
    expect(trickled).toHaveLength(1);
  });

  it("goes at once when flushed (a newer offer of ours must follow it), and only once", async () => {
    const { pc, sent, answer } = setUp();
    const waiting = answer.wait();
    answer.flush();
    expect(sent).toHaveLength(1);
    pc.currentLocalDescription = { type: "answer", sdp: sdpWith([`a=${host}`]) }; // gathered later
    answer.flush();
    pc.complete([`a=${host}`]);
    await waiting;
    expect(sent).toHaveLength(1);
  });

  it("sends nothing when no answer is set, and lets the candidates be trickled", () => {
    const { pc, batcher, trickled, sent, answer } = setUp();
    pc.currentLocalDescription = null;
    batcher.add(null);
    answer.flush();
    expect(sent).toEqual([]);
    expect(trickled).toHaveLength(1);
  });
});

describe("outgoingSdp", () => {
  it("leaves the candidates to the trickle when the SDP would pass the rules' limit", () => {
    const many = Array.from({ length: 600 }, (_, i) => `a=candidate:${i} 1 udp 2122260223 127.0.0.1 ${50000 + i} typ host generation 0`);
    const out = outgoingSdp(sdpWith(many), (line) => line, true);
    expect(out.candidates).toEqual([]);
    expect(out.complete).toBe(false);
    expect(out.sdp).not.toContain("a=candidate");
    expect(outgoingSdp(sdpWith(many.slice(0, 2)), (line) => line, true).candidates).toHaveLength(2);
  });
});
