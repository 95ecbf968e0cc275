/** What a tile and a people row say about a participant and the connection to it. Pure. */
import type { LinkView } from "../../core/meeting/link";

export interface StateLabel {
  /** The tile's data-state: waiting, connecting, connected, reconnecting, failed, closed. */
  state: string;
  /** Said on the tile only when something is wrong; "" when all is well. */
  text: string;
}

export function stateLabel(link: LinkView | undefined): StateLabel {
  if (!link) return { state: "waiting", text: "Waiting to connect" };
  switch (link.state) {
    case "connected": {
      const bars = link.quality.bars;
      return { state: "connected", text: bars === 1 ? "Bad connection" : bars === 2 ? "Poor connection" : "" };
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

/** A person's connection in the people panel: its quality once measured ("Good connection"),
 * "Connected" until then, else its state in words. */
export function connectionText(link: LinkView | undefined): string {
  if (link?.state !== "connected") return stateLabel(link).text;
  return link.quality.bars > 0 ? `${link.quality.label} connection` : "Connected";
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

const CANDIDATE_WORDS: Record<string, string> = {
  host: "local address",
  srflx: "public address",
  prflx: "public address",
  relay: "relay server",
};

/** The connection's details, shown on demand: [what, value] rows in words first, numbers after. */
export function connectionDetails(link: LinkView | undefined): [string, string][] {
  if (!link) return [["Connection", "Waiting to connect"]];
  const { quality } = link;
  const stats = link.path?.stats;
  const rows: [string, string][] = [["Quality", link.state === "connected" ? quality.label : stateLabel(link).text]];
  if (quality.problem) rows.push(["Problem", quality.problem]);
  if (stats?.relayed !== undefined) {
    const ends = stats.localCandidateType
      ? ` (${CANDIDATE_WORDS[stats.localCandidateType] ?? stats.localCandidateType} → ${CANDIDATE_WORDS[stats.remoteCandidateType ?? ""] ?? "?"}, ${(stats.protocol ?? "").toUpperCase()})`
      : "";
    rows.push(["Route", (stats.relayed ? "Through the relay server" : "Direct") + ends]);
  }
  // Below half a millisecond (the same machine or network) "0 ms" read as no measurement.
  if (quality.rttMs !== null) rows.push(["Round trip", quality.rttMs < 0.5 ? "under 1 ms" : `${Math.round(quality.rttMs)} ms`]);
  if (quality.lossPct !== null) rows.push(["Packet loss", `${quality.lossPct < 1 ? quality.lossPct.toFixed(1) : Math.round(quality.lossPct)} %`]);
  if (quality.receiveKbps !== null) rows.push(["Receiving", kbit(quality.receiveKbps)]);
  if (quality.sendKbps !== null) rows.push(["Sending", kbit(quality.sendKbps)]);
  return rows;
}

function kbit(kbps: number): string {
  return kbps >= 1000 ? `${(kbps / 1000).toFixed(1)} Mbit/s` : `${kbps} kbit/s`;
}
