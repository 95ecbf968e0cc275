/**
 * The selected candidate pair and counters of a connection, in report_connection's shape, and
 * the sample its quality is judged by (quality.ts).
 */
import type { ConnectionPath, ConnectionStats, PathEnd } from "../../protocol.gen";
import type { QualitySample } from "./quality";

type CandidateType = NonNullable<ConnectionStats["localCandidateType"]>;

/**
 * A connection's stats, and the addresses of its selected candidate pair for the CDR (the
 * server keeps a public address with its country and network, any other only as its kind).
 */
export interface PathInfo {
  stats: ConnectionStats;
  sample: QualitySample;
  path?: ConnectionPath;
}

type Report = Record<string, unknown> & { id: string; type: string };

const CANDIDATE_TYPES: ReadonlySet<string> = new Set<CandidateType>(["host", "srflx", "prflx", "relay"]);

/** Inbound packets, audio jitter, what the other side lost of ours and whether an encoder of ours is short of CPU. */
function rtpSample(byId: Map<string, Report>, at: number): QualitySample {
  const sample: QualitySample = { at, packetsReceived: 0, packetsLost: 0 };
  for (const item of byId.values()) {
    if (item.type === "inbound-rtp") {
      if (typeof item.packetsReceived === "number") sample.packetsReceived += item.packetsReceived;
      if (typeof item.packetsLost === "number") sample.packetsLost += Math.max(0, item.packetsLost);
      if (item.kind === "audio" && typeof item.jitter === "number") sample.jitterMs = Math.round(item.jitter * 1000);
    } else if (item.type === "remote-inbound-rtp" && typeof item.fractionLost === "number") {
      sample.remoteFractionLost = Math.max(sample.remoteFractionLost ?? 0, item.fractionLost);
    } else if (item.type === "outbound-rtp" && item.kind === "video" && item.qualityLimitationReason === "cpu") {
      sample.cpuLimited = true;
    }
  }
  return sample;
}

export async function collectStats(pc: RTCPeerConnection, startedAt: number): Promise<PathInfo> {
  const now = performance.now();
  const out: ConnectionStats = { durationMs: Math.max(0, Math.round(now - startedAt)) };
  let report: RTCStatsReport;
  try {
    report = await pc.getStats();
  } catch {
    return { stats: out, sample: { at: now, packetsReceived: 0, packetsLost: 0 } };
  }
  const byId = new Map<string, Report>();
  report.forEach((value: Report) => byId.set(value.id, value));
  let pair: Report | undefined;
  let transport: Report | undefined;
  for (const item of byId.values()) {
    if (item.type === "transport" && typeof item.selectedCandidatePairId === "string") {
      transport = item;
      pair = byId.get(item.selectedCandidatePairId);
      if (pair) break;
    }
  }
  if (!pair) {
    for (const item of byId.values()) {
      if (item.type === "candidate-pair" && item.state === "succeeded" && (item.nominated || item.selected)) {
        pair = item;
        break;
      }
    }
  }
  let packetsLost = 0;
  let sawInbound = false;
  for (const item of byId.values()) {
    if (item.type === "inbound-rtp" && typeof item.packetsLost === "number") {
      packetsLost += Math.max(0, item.packetsLost);
      sawInbound = true;
    }
  }
  if (sawInbound) out.packetsLost = Math.round(packetsLost);
  const sample = rtpSample(byId, now);
  const info: PathInfo = { stats: out, sample };
  if (!pair) return info;
  const local = byId.get(String(pair.localCandidateId));
  const remote = byId.get(String(pair.remoteCandidateId));
  const localType = typeof local?.candidateType === "string" ? local.candidateType : undefined;
  const remoteType = typeof remote?.candidateType === "string" ? remote.candidateType : undefined;
  if (localType && CANDIDATE_TYPES.has(localType)) out.localCandidateType = localType as CandidateType;
  if (remoteType && CANDIDATE_TYPES.has(remoteType)) out.remoteCandidateType = remoteType as CandidateType;
  const protocol = local?.protocol;
  if (protocol === "udp" || protocol === "tcp") out.protocol = protocol;
  if (localType === "relay") {
    const relayProtocol = local?.relayProtocol;
    out.relayProtocol = relayProtocol === "udp" || relayProtocol === "tcp" || relayProtocol === "tls" ? relayProtocol : null;
  } else {
    out.relayProtocol = null;
  }
  out.relayed = localType === "relay" || remoteType === "relay";
  if (typeof pair.currentRoundTripTime === "number") {
    out.rttMs = Math.round(pair.currentRoundTripTime * 1000 * 10) / 10;
    sample.rttMs = out.rttMs;
  }
  if (typeof pair.availableOutgoingBitrate === "number") sample.availableOutgoingKbps = Math.round(pair.availableOutgoingBitrate / 1000);
  const counters = transport ?? pair;
  if (typeof counters.bytesSent === "number") out.bytesSent = sample.bytesSent = Math.round(counters.bytesSent);
  if (typeof counters.bytesReceived === "number") out.bytesReceived = sample.bytesReceived = Math.round(counters.bytesReceived);
  const localEnd = pathEnd(local);
  const remoteEnd = pathEnd(remote);
  if (localEnd && remoteEnd) info.path = { local: localEnd, remote: remoteEnd };
  return info;
}

/** Longest address the server takes (docs/protocol.md, report_connection's `path`). */
const ADDRESS_MAX_CHARS = 64;

/** One end of the pair as report_connection's `path` has it; "" when the browser hides it. */
export function pathEnd(candidate: Record<string, unknown> | undefined): PathEnd | undefined {
  const type = candidate?.candidateType;
  if (typeof type !== "string" || !CANDIDATE_TYPES.has(type)) return undefined;
  const raw = candidate?.address ?? candidate?.ip;
  let address = typeof raw === "string" ? raw.trim() : "";
  // Brackets or an interface zone are not part of the address.
  address = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (address.length > ADDRESS_MAX_CHARS) address = "";
  return { address, candidateType: type as CandidateType };
}
