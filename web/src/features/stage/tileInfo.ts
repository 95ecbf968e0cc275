/** What a tile and a people row say about a participant and the connection to it. Pure. */
import type { LinkView } from "../../core/meeting/link";

export interface StateLabel {
  /** The tile's data-state: waiting, connecting, connected, reconnecting, failed, closed. */
  state: string;
  text: string;
}

export function stateLabel(link: LinkView | undefined): StateLabel {
  if (!link) return { state: "waiting", text: "Waiting to connect" };
  switch (link.state) {
    case "connected": {
      const relayed = link.path?.stats.relayed;
      const route = relayed === undefined ? "" : relayed ? " · relayed" : " · direct";
      return { state: "connected", text: `Connected${route}` };
    }
    case "reconnecting":
      return { state: "reconnecting", text: "Reconnecting…" };
    case "failed":
      return { state: "failed", text: "Connection failed" };
    case "closed":
      return { state: "closed", text: "Disconnected" };
    default:
      return { state: "connecting", text: "Connecting…" };
  }
}

/** The path of a connected link: "direct", "relayed", or "" while unknown. */
export function pathLabel(link: LinkView | undefined): string {
  const relayed = link?.path?.stats.relayed;
  return relayed === undefined ? "" : relayed ? "relayed" : "direct";
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "?") + (parts.length > 1 ? parts[parts.length - 1][0] : "")).toUpperCase();
}

/** A stable hue (0–359) per uid for the avatar. */
export function hue(uid: string): number {
  let n = 0;
  for (const ch of uid) n = (n * 31 + ch.charCodeAt(0)) % 360;
  return n;
}

/** "rtt · local→remote protocol" of a connection, as the people panel shows it. */
export function pathDetails(link: LinkView | undefined): string[] {
  const stats = link?.path?.stats;
  return [
    stats?.rttMs !== undefined && stats.rttMs !== null ? `${Math.round(stats.rttMs)} ms` : "",
    stats?.localCandidateType ? `${stats.localCandidateType}→${stats.remoteCandidateType ?? "?"} ${stats.protocol ?? ""}` : "",
  ].filter(Boolean);
}
