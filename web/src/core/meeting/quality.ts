/**
 * A connection's quality, from two getStats() samples a few seconds apart: bars (0–4) and, when it
 * is not good, what a person would notice, in words. Pure.
 */

/** What one getStats() says about a connection (counters are cumulative). */
export interface QualitySample {
  at: number;
  rttMs?: number;
  /** Inbound RTP, all streams. */
  packetsReceived: number;
  packetsLost: number;
  /** Inbound audio jitter (ms). */
  jitterMs?: number;
  /** What the other side reports losing of what we send (0..1, remote-inbound-rtp). */
  remoteFractionLost?: number;
  /** The browser's estimate of the bandwidth available to send on this connection (kbit/s). */
  availableOutgoingKbps?: number;
  /** A video encoder of ours on this connection is limited by CPU now (qualityLimitationReason). */
  cpuLimited?: boolean;
  /** Bytes sent and received on the transport. */
  bytesSent?: number;
  bytesReceived?: number;
}

export type Bars = 0 | 1 | 2 | 3 | 4;

export interface Quality {
  bars: Bars;
  /** "Excellent", "Good", "Poor" or "Bad" (no bars: not measured yet, the first seconds). */
  label: string;
  /** What is wrong, in words ("unstable, sound and video may break up"); null when fine. */
  problem: string | null;
  /** Packet loss over the interval, in percent (inbound, or outbound when worse). */
  lossPct: number | null;
  rttMs: number | null;
  jitterMs: number | null;
  sendKbps: number | null;
  receiveKbps: number | null;
  availableOutgoingKbps: number | null;
}

export const UNKNOWN_QUALITY: Quality = {
  bars: 0,
  label: "Not measured yet",
  problem: null,
  lossPct: null,
  rttMs: null,
  jitterMs: null,
  sendKbps: null,
  receiveKbps: null,
  availableOutgoingKbps: null,
};

const LABELS: Readonly<Record<Bars, string>> = { 0: "Not measured yet", 1: "Bad", 2: "Poor", 3: "Good", 4: "Excellent" };

/** Worst first: [bars at most, test, words]. */
const RULES: readonly [Bars, (q: Quality) => boolean, string][] = [
  [1, (q) => (q.lossPct ?? 0) >= 10, "unstable, sound and video break up"],
  [1, (q) => (q.rttMs ?? 0) >= 800, "very long delay, speech lags"],
  [2, (q) => (q.lossPct ?? 0) >= 5, "unstable, sound and video may break up"],
  [2, (q) => (q.rttMs ?? 0) >= 500, "long delay, speech may lag"],
  [2, (q) => q.availableOutgoingKbps !== null && q.availableOutgoingKbps < 150, "slow, your video goes at low quality"],
  [3, (q) => (q.lossPct ?? 0) >= 2 || (q.rttMs ?? 0) >= 250 || (q.jitterMs ?? 0) >= 40, ""],
];

function kbps(before: number | undefined, after: number | undefined, ms: number): number | null {
  if (before === undefined || after === undefined || ms <= 0 || after < before) return null;
  return Math.round(((after - before) * 8) / ms);
}

function lossPct(before: QualitySample, after: QualitySample): number | null {
  const lost = after.packetsLost - before.packetsLost;
  const received = after.packetsReceived - before.packetsReceived;
  const inbound = lost >= 0 && received >= 0 && lost + received > 0 ? (100 * lost) / (lost + received) : null;
  const outbound = after.remoteFractionLost !== undefined ? 100 * after.remoteFractionLost : null;
  if (inbound === null) return outbound;
  return outbound === null ? inbound : Math.max(inbound, outbound);
}

/** The quality over the interval between two samples of a connected connection. */
export function assessQuality(before: QualitySample | null, after: QualitySample): Quality {
  const ms = before ? after.at - before.at : 0;
  const q: Quality = {
    ...UNKNOWN_QUALITY,
    lossPct: before ? lossPct(before, after) : null,
    rttMs: after.rttMs ?? null,
    jitterMs: after.jitterMs ?? null,
    sendKbps: before ? kbps(before.bytesSent, after.bytesSent, ms) : null,
    receiveKbps: before ? kbps(before.bytesReceived, after.bytesReceived, ms) : null,
    availableOutgoingKbps: after.availableOutgoingKbps ?? null,
  };
  let bars: Bars = 4;
  let problem: string | null = null;
  for (const [most, test, words] of RULES) {
    if (most < bars && test(q)) {
      bars = most;
      problem ??= words || null;
    }
  }
  return { ...q, bars, label: LABELS[bars], problem };
}
