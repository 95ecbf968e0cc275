/** ICE servers from join_meeting: the loopback-only test filter and the TURN credential's expiry. */
import type { IceServer } from "../../protocol.gen";

const LOOPBACK_URL = /^(stun|stuns|turn|turns):(\[::1\]|127\.\d+\.\d+\.\d+|localhost)(:|\?|$)/i;

function urlsOf(server: RTCIceServer | IceServer): string[] {
  return Array.isArray(server.urls) ? server.urls : [server.urls];
}

/** The servers as RTCPeerConnection takes them; only loopback URLs when `loopbackOnly`. */
export function usableIceServers(servers: readonly IceServer[], loopbackOnly: boolean): RTCIceServer[] {
  if (!loopbackOnly) return [...servers];
  return servers
    .map((server) => ({ ...server, urls: urlsOf(server).filter((url) => LOOPBACK_URL.test(url)) }))
    .filter((server) => server.urls.length > 0);
}

/** The earliest expiry (epoch ms) of the TURN credentials (coturn REST form: username "<unix s>:<uid>"). */
export function turnExpiry(servers: readonly RTCIceServer[]): number | null {
  let earliest: number | null = null;
  for (const server of servers) {
    if (!urlsOf(server).some((url) => /^turns?:/i.test(url))) continue;
    const match = /^(\d{9,}):/.exec(server.username ?? "");
    if (!match) continue;
    const ms = Number(match[1]) * 1000;
    earliest = earliest === null ? ms : Math.min(earliest, ms);
  }
  return earliest;
}

/** An ICE restart needs a relay credential valid for a while yet (30 s), or none at all. */
export function credentialFresh(expiresAt: number | null, now: number): boolean {
  return expiresAt === null || now < expiresAt - 30_000;
}

/** Whether any server is a TURN relay (privacy mode needs one: relay-only ICE has nothing else). */
export function hasRelay(servers: readonly RTCIceServer[]): boolean {
  return servers.some((server) => urlsOf(server).some((url) => /^turns?:/i.test(url)));
}
