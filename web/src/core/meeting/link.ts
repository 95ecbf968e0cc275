/** What a connection (PeerLink) is to the rest: its data channels, what the UI shows of it, its host. */
import type { ConnectionPath, ConnectionStats, ConnectionStatus } from "../../protocol.gen";
import type { RemoteMedia } from "./chatChannel";
import type { SafetyInfo } from "./safety";
import type { LocalMedia } from "./media";
import type { PeerLink } from "./peer";
import type { OutgoingSignal } from "./signalling";
import type { Quality } from "./quality";
import type { PathInfo } from "./stats";

export type LinkState = "connecting" | "connected" | "reconnecting" | "failed" | "closed";

/**
 * Whether a connection-state change that is not `connected`, `failed` or `closed` (those carry
 * stats, sent apart) is reported with report_connection. All are, except the first
 * `connecting`: the server records that from the offer (caller) or the answer (callee), so
 * reporting it would cost a call and a write for nothing (docs/protocol.md, report_connection).
 */
export function reportsState(state: RTCPeerConnectionState, reportedBefore: boolean): boolean {
  return state !== "closed" && (state !== "connecting" || reportedBefore);
}

/**
 * The connection's state, its transport's word taken where the browser's aggregate lags: Chromium
 * posts `connectionstatechange` to `connected` tens of milliseconds after its DTLS transport (over
 * a connected ICE transport) says so, and hundreds on a busy machine, while the other side's
 * video already plays; until then a tile would say "Connecting…" under it, and the connection's
 * report and stats would start late. Every other state is the connection's own.
 */
export function connectionStateOf(
  connection: RTCPeerConnectionState,
  dtls: RTCDtlsTransportState | null,
  ice: RTCIceTransportState | null,
): RTCPeerConnectionState {
  const early = (connection === "new" || connection === "connecting") && dtls === "connected" && (ice === "connected" || ice === "completed");
  return early ? "connected" : connection;
}

export const CHANNELS = ["chat", "files", "board", "gestures", "captions", "polls", "qa"] as const;
export type ChannelLabel = (typeof CHANNELS)[number];

/** What the UI shows of a connection; a new object on every change. */
export interface LinkView {
  state: LinkState;
  path: PathInfo | null;
  /** Bars and, when something is wrong, what in words (quality.ts). */
  quality: Quality;
  safetyCode: string | null;
  safety: SafetyInfo | null;
  remoteMedia: RemoteMedia;
  /** The remote camera's video is there and not muted. */
  videoLive: boolean;
  /** The remote screen's video is there and not muted. */
  screenLive: boolean;
}

/** The connection as the UI shows it now. */
export function linkView(link: PeerLink): LinkView {
  return {
    state: link.state,
    path: link.path,
    quality: link.quality,
    safetyCode: link.safetyCode,
    safety: link.safety,
    remoteMedia: link.media.shown(link.remoteMedia),
    videoLive: link.media.live("camera"),
    screenLive: link.media.live("screen"),
  };
}

export interface LinkHost {
  readonly myUid: string;
  readonly local: LocalMedia;
  readonly loopbackOnly: boolean;
  /** This device's kept DTLS certificate (certificate.ts); null: each connection makes its own. */
  readonly certificate: RTCCertificate | null;
  /** False when the host handles the restart otherwise (a re-join for fresh TURN credentials). */
  iceRestartAllowed(link: PeerLink): boolean;
  sendSignal(link: PeerLink, signal: OutgoingSignal): Promise<void>;
  report(link: PeerLink, status: ConnectionStatus, stats?: ConnectionStats, path?: ConnectionPath): void;
  channelOpen(link: PeerLink, label: ChannelLabel, channel: RTCDataChannel): void;
  channelMessage(link: PeerLink, label: ChannelLabel, data: string | ArrayBuffer): void;
  channelClosed(link: PeerLink, label: ChannelLabel): void;
}

/** What a channel protocol needs of the meeting (gestures, polls, Q&A): who we are, and the
 * connections to send on. */
export interface ProtocolMeeting {
  readonly myUid: string;
  readonly links: ReadonlyMap<string, Pick<PeerLink, "uid" | "send">>;
  /** Now by the server's clock (serverClock.ts): the times peers compare ("the newest wins"). */
  readonly clock: { now(): number };
}

/** A data-channel protocol (files, whiteboard, gestures) plugged into the meeting. */
export interface ChannelProtocol {
  readonly label: Exclude<ChannelLabel, "chat">;
  /** Once joined, before the first offer (e.g. the file store's folder for this session). */
  start?(session: string): Promise<void>;
  open?(link: PeerLink, channel: RTCDataChannel): void;
  message(link: PeerLink, data: string | ArrayBuffer): void;
  /** The link's channel closed, or the link was dropped. */
  closed?(link: PeerLink): void;
  stop?(): Promise<void>;
}

/** Backpressure of the file channel: fileShare.ts pauses above its BUFFER_HIGH, resumes below this. */
export const FILE_BUFFER_LOW = 1 << 20;

/** Take a data channel of `link` (ours, or opened by the other side) and tell `host` of it. */
export function bindChannel(link: PeerLink, host: LinkHost, channel: RTCDataChannel): void {
  const label = channel.label as ChannelLabel;
  if (!CHANNELS.includes(label)) return;
  channel.binaryType = "arraybuffer";
  if (label === "files") channel.bufferedAmountLowThreshold = FILE_BUFFER_LOW;
  link.channels.set(label, channel);
  const opened = () => host.channelOpen(link, label, channel);
  if (channel.readyState === "open") opened();
  else channel.addEventListener("open", opened, { once: true });
  channel.addEventListener("message", (event: MessageEvent<string | ArrayBuffer>) => host.channelMessage(link, label, event.data));
  channel.addEventListener("close", () => {
    if (link.channels.get(label) === channel) host.channelClosed(link, label);
  });
}
