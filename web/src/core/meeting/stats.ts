/** The selected candidate pair and counters of a connection, in report_connection's shape. */
import type { ConnectionPath, ConnectionStats, PathEnd } from "../../protocol.gen";

type CandidateType = NonNullable<ConnectionStats["localCandidateType"]>;

/**
 * A connection's stats, and the addresses of its selected candidate pair for the CDR (the
 * server keeps a public address with its country and network, any other only as its kind).
 */
export interface PathInfo {
  stats: ConnectionStats;
  path?: ConnectionPath;
}

type Report = Record<string, unknown> & { id: string; type: string };

const CANDIDATE_TYPES: ReadonlySet<string> = new Set<CandidateType>(["host", "srflx", "prflx", "relay"]);

export async function collectStats(pc: RTCPeerConnection, startedAt: number): Promise<PathInfo> {
  const out: ConnectionStats = { durationMs: Math.max(0, Math.round(performance.now() - startedAt)) };
  let report: RTCStatsReport;
  try {
    report = await pc.getStats();
  } catch {
    return { stats: out };
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
  const info: PathInfo = { stats: out };
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
  }
  const counters = transport ?? pair;
  if (typeof counters.bytesSent === "number") out.bytesSent = Math.round(counters.bytesSent);
  if (typeof counters.bytesReceived === "number") out.bytesReceived = Math.round(counters.bytesReceived);
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
