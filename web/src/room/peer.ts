/**
 * One RTCPeerConnection to one session of another participant (docs/protocol.md section 4).
 *
 * - The newcomer is the *caller*: it adds the audio and video transceivers and the data channels
 *   (chat, files, board); `negotiationneeded` then sends the offer. The callee attaches its tracks
 *   to the transceivers the offer created, so the initial connection needs a single round trip.
 * - Every later negotiation (ICE restart) uses the perfect-negotiation pattern: the peer with the
 *   lexicographically smaller uid is polite and rolls back its own offer on a collision.
 * - Local candidates are trickled in batches: flushed after 100 ms without a new one or at 8,
 *   the last batch carrying the end-of-candidates marker. Remote candidates that arrive before the
 *   remote description are queued.
 */
import { collectStats, type ConnectionStats, type PathInfo } from "./stats";
import { connectionSafetyCode } from "./safety";
import type { LocalMedia } from "./media";

export interface CandidateEntry {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
}

export type OutgoingSignal =
  | { type: "offer" | "answer"; sdp: string }
  | { type: "candidates"; candidates: CandidateEntry[] };

export type LinkState = "connecting" | "connected" | "reconnecting" | "failed" | "closed";
export type Role = "caller" | "callee";
export type ReportStatus = "new" | "connecting" | "connected" | "disconnected" | "failed" | "closed";

export const CHANNELS = ["chat", "files", "board"] as const;
export type ChannelLabel = (typeof CHANNELS)[number];

export interface LinkHost {
  readonly myUid: string;
  readonly local: LocalMedia;
  readonly loopbackOnly: boolean;
  /** False when the host handles the restart otherwise (a re-join for fresh TURN credentials). */
  iceRestartAllowed(link: PeerLink): boolean;
  sendSignal(link: PeerLink, signal: OutgoingSignal): Promise<void>;
  report(link: PeerLink, status: ReportStatus, stats?: ConnectionStats): void;
  linkChanged(link: PeerLink): void;
  channelOpen(link: PeerLink, label: ChannelLabel, channel: RTCDataChannel): void;
  channelMessage(link: PeerLink, label: ChannelLabel, data: string | ArrayBuffer): void;
  channelClosed(link: PeerLink, label: ChannelLabel): void;
}

export const FLUSH_QUIET_MS = 100;
export const MAX_BATCH = 8;
const END_OF_CANDIDATES: CandidateEntry = { candidate: "", sdpMid: null, sdpMLineIndex: null };
const MAX_ICE_RESTARTS = 4;
const DISCONNECTED_GRACE_MS = 3000;
const STATS_INTERVAL_MS = 3000;
/** Backpressure of the file channel: pause above HIGH, resume when below LOW. */
export const FILE_BUFFER_LOW = 1 << 20;

/** Whether a candidate line's address is on loopback (127.0.0.0/8 or ::1). */
export function isLoopbackCandidate(candidate: string): boolean {
  const fields = candidate.replace(/^candidate:/, "").split(/\s+/);
  const address = fields[4] ?? "";
  return address.startsWith("127.") || address === "::1" || address === "[::1]";
}

/** The SDP without candidate lines: candidates travel as `candidates` signals. */
export function stripCandidates(sdp: string): string {
  const lines = sdp.split(/\r?\n/).filter((line) => line && !line.startsWith("a=candidate:") && line !== "a=end-of-candidates");
  return lines.join("\r\n") + "\r\n";
}

export class PeerLink {
  readonly pc: RTCPeerConnection;
  readonly polite: boolean;
  readonly remoteStream = new MediaStream();
  readonly channels = new Map<ChannelLabel, RTCDataChannel>();
  readonly startedAt = performance.now();
  state: LinkState = "connecting";
  connectionState: RTCPeerConnectionState = "new";
  path: PathInfo | null = null;
  safetyCode: string | null = null;
  /** What the other side told us over the chat channel (mic, camera, screen, recording). */
  remoteMedia = { audio: true, video: true, screen: false, recording: false };
  closedReason: string | null = null;

  private makingOffer = false;
  private ignoreOffer = false;
  private settingRemoteAnswer = false;
  private everConnected = false;
  private restarts = 0;
  private mediaAttached = false;
  private audioTransceiver: RTCRtpTransceiver | null = null;
  private videoTransceiver: RTCRtpTransceiver | null = null;
  private remoteQueue: CandidateEntry[] = [];
  private outgoing: CandidateEntry[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private endQueued = false;
  private sendChain: Promise<void> = Promise.resolve();
  private disconnectedTimer: ReturnType<typeof setTimeout> | null = null;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private reportedConnectStats = false;

  constructor(
    private readonly host: LinkHost,
    readonly uid: string,
    readonly remoteSession: string,
    readonly role: Role,
    iceServers: RTCIceServer[],
  ) {
    this.polite = host.myUid < uid;
    this.pc = new RTCPeerConnection({ iceServers, bundlePolicy: "max-bundle", rtcpMuxPolicy: "require" });
    this.pc.addEventListener("negotiationneeded", () => void this.onNegotiationNeeded());
    this.pc.addEventListener("icecandidate", (event) => this.onLocalCandidate(event.candidate));
    this.pc.addEventListener("icegatheringstatechange", () => {
      if (this.pc.iceGatheringState === "gathering") this.endQueued = false;
    });
    this.pc.addEventListener("connectionstatechange", () => void this.onConnectionState());
    this.pc.addEventListener("track", (event) => this.onTrack(event));
    this.pc.addEventListener("datachannel", (event) => this.bindChannel(event.channel));
  }

  /** Caller side: transceivers then data channels; negotiationneeded sends the offer. */
  startAsCaller(): void {
    const local = this.host.local;
    this.audioTransceiver = this.pc.addTransceiver(local.audioTrack ?? "audio", {
      direction: "sendrecv",
      streams: [local.stream],
    });
    this.videoTransceiver = this.pc.addTransceiver(local.outgoingVideo ?? "video", {
      direction: "sendrecv",
      streams: [local.stream],
    });
    this.mediaAttached = true;
    for (const label of CHANNELS) this.bindChannel(this.pc.createDataChannel(label, { ordered: true }));
  }

  /** Put the current local tracks on the senders (after a mute, camera or screen change). */
  async syncTracks(): Promise<void> {
    const local = this.host.local;
    const jobs: Promise<void>[] = [];
    const audio = this.audioTransceiver?.sender;
    const video = this.videoTransceiver?.sender;
    if (audio && audio.track !== local.audioTrack) jobs.push(audio.replaceTrack(local.audioTrack));
    if (video && video.track !== local.outgoingVideo) jobs.push(video.replaceTrack(local.outgoingVideo));
    await Promise.all(jobs.map((job) => job.catch((error) => console.debug("replaceTrack failed", error))));
  }

  channel(label: ChannelLabel): RTCDataChannel | null {
    const channel = this.channels.get(label);
    return channel && channel.readyState === "open" ? channel : null;
  }

  send(label: ChannelLabel, data: string): boolean {
    const channel = this.channel(label);
    if (!channel) return false;
    try {
      channel.send(data);
      return true;
    } catch (error) {
      console.debug(`sending on ${label} failed`, error);
      return false;
    }
  }

  // ---------------------------------------------------------------------- signalling in

  async handleDescription(description: RTCSessionDescriptionInit): Promise<void> {
    const pc = this.pc;
    if (pc.signalingState === "closed") return;
    const readyForOffer = !this.makingOffer && (pc.signalingState === "stable" || this.settingRemoteAnswer);
    const collision = description.type === "offer" && !readyForOffer;
    this.ignoreOffer = !this.polite && collision;
    if (this.ignoreOffer) return;
    if (description.type === "answer" && pc.signalingState !== "have-local-offer") return;
    this.settingRemoteAnswer = description.type === "answer";
    try {
      await pc.setRemoteDescription(description);
    } finally {
      this.settingRemoteAnswer = false;
    }
    if (description.type === "offer") {
      if (!this.mediaAttached) await this.attachMediaAsCallee();
      await pc.setLocalDescription();
      this.sendDescription();
    }
    await this.applyQueuedCandidates();
  }

  async addRemoteCandidates(entries: CandidateEntry[]): Promise<void> {
    for (const entry of entries) {
      if (typeof entry?.candidate !== "string") continue;
      if (entry.candidate && this.host.loopbackOnly && !isLoopbackCandidate(entry.candidate)) continue;
      if (!this.pc.remoteDescription) this.remoteQueue.push(entry);
      else await this.applyCandidate(entry);
    }
  }

  private async applyQueuedCandidates(): Promise<void> {
    const queued = this.remoteQueue;
    this.remoteQueue = [];
    for (const entry of queued) await this.applyCandidate(entry);
  }

  private async applyCandidate(entry: CandidateEntry): Promise<void> {
    try {
      if (entry.candidate === "") await this.pc.addIceCandidate();
      else await this.pc.addIceCandidate(entry);
    } catch (error) {
      if (!this.ignoreOffer && this.pc.signalingState !== "closed") {
        console.debug("a remote candidate was not applied", error);
      }
    }
  }

  /** Callee side: our tracks go on the transceivers that the offer created. */
  private async attachMediaAsCallee(): Promise<void> {
    this.mediaAttached = true;
    const local = this.host.local;
    for (const transceiver of this.pc.getTransceivers()) {
      const kind = transceiver.receiver.track.kind;
      if (kind === "audio" && !this.audioTransceiver) this.audioTransceiver = transceiver;
      else if (kind === "video" && !this.videoTransceiver) this.videoTransceiver = transceiver;
      else continue;
      transceiver.direction = "sendrecv";
      transceiver.sender.setStreams?.(local.stream);
    }
    await this.syncTracks();
  }

  // --------------------------------------------------------------------- signalling out

  private async onNegotiationNeeded(): Promise<void> {
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      this.sendDescription();
    } catch (error) {
      console.debug("negotiation failed", error);
    } finally {
      this.makingOffer = false;
    }
  }

  private sendDescription(): void {
    const description = this.pc.localDescription;
    if (!description || (description.type !== "offer" && description.type !== "answer")) return;
    this.enqueue({ type: description.type, sdp: stripCandidates(description.sdp) });
  }

  private enqueue(signal: OutgoingSignal): void {
    this.sendChain = this.sendChain
      .then(() => (this.closedReason ? undefined : this.host.sendSignal(this, signal)))
      .catch((error) => console.debug(`sending a ${signal.type} signal failed`, error));
  }

  private onLocalCandidate(candidate: RTCIceCandidate | null): void {
    if (!candidate || candidate.candidate === "") {
      if (this.endQueued) return;
      this.endQueued = true;
      this.outgoing.push(END_OF_CANDIDATES);
      this.flushCandidates();
      return;
    }
    if (this.host.loopbackOnly && !isLoopbackCandidate(candidate.candidate)) return;
    this.outgoing.push({
      candidate: candidate.candidate,
      sdpMid: candidate.sdpMid ?? null,
      sdpMLineIndex: candidate.sdpMLineIndex ?? null,
    });
    if (this.outgoing.length >= MAX_BATCH) {
      this.flushCandidates();
    } else {
      if (this.flushTimer) clearTimeout(this.flushTimer);
      this.flushTimer = setTimeout(() => this.flushCandidates(), FLUSH_QUIET_MS);
    }
  }

  private flushCandidates(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    while (this.outgoing.length) {
      this.enqueue({ type: "candidates", candidates: this.outgoing.splice(0, MAX_BATCH) });
    }
  }

  // ------------------------------------------------------------------------- state

  private async onConnectionState(): Promise<void> {
    const state = this.pc.connectionState;
    this.connectionState = state;
    if (this.disconnectedTimer && state !== "disconnected") {
      clearTimeout(this.disconnectedTimer);
      this.disconnectedTimer = null;
    }
    switch (state) {
      case "connected":
        this.everConnected = true;
        this.restarts = 0;
        this.state = "connected";
        this.startStats();
        void this.computeSafetyCode();
        break;
      case "disconnected":
        this.state = "reconnecting";
        this.disconnectedTimer = setTimeout(() => {
          if (this.pc.connectionState === "disconnected") this.restartIce();
        }, DISCONNECTED_GRACE_MS);
        break;
      case "failed":
        if (this.restarts < MAX_ICE_RESTARTS) {
          this.state = "reconnecting";
          this.restartIce();
        } else {
          this.state = "failed";
        }
        break;
      case "closed":
        this.state = "closed";
        break;
      default:
        this.state = this.everConnected ? "reconnecting" : "connecting";
    }
    this.host.linkChanged(this);
    if (state === "connected" && !this.reportedConnectStats) {
      this.reportedConnectStats = true;
      const info = await collectStats(this.pc, this.startedAt);
      this.path = info;
      this.host.report(this, "connected", info.stats);
      this.host.linkChanged(this);
    } else if (state === "failed") {
      const info = await collectStats(this.pc, this.startedAt);
      this.host.report(this, "failed", info.stats);
    } else if (state !== "closed") {
      this.host.report(this, state);
    }
  }

  /** ICE restart (on failure, a long disconnection or a network change). */
  restartIce(): void {
    if (this.pc.signalingState === "closed") return;
    if (!this.host.iceRestartAllowed(this)) return;
    this.restarts++;
    this.pc.restartIce();
  }

  private startStats(): void {
    if (this.statsTimer) return;
    this.statsTimer = setInterval(async () => {
      if (this.pc.connectionState === "closed") return;
      this.path = await collectStats(this.pc, this.startedAt);
      if (!this.safetyCode) await this.computeSafetyCode();
      this.host.linkChanged(this);
    }, STATS_INTERVAL_MS);
  }

  private async computeSafetyCode(): Promise<void> {
    const code = await connectionSafetyCode(this.pc);
    if (code !== this.safetyCode) {
      this.safetyCode = code;
      this.host.linkChanged(this);
    }
  }

  private onTrack(event: RTCTrackEvent): void {
    const track = event.track;
    for (const old of this.remoteStream.getTracks()) {
      if (old.kind === track.kind && old !== track) this.remoteStream.removeTrack(old);
    }
    if (!this.remoteStream.getTracks().includes(track)) this.remoteStream.addTrack(track);
    const changed = () => this.host.linkChanged(this);
    track.addEventListener("mute", changed);
    track.addEventListener("unmute", changed);
    track.addEventListener("ended", changed);
    changed();
  }

  private bindChannel(channel: RTCDataChannel): void {
    const label = channel.label as ChannelLabel;
    if (!CHANNELS.includes(label)) return;
    channel.binaryType = "arraybuffer";
    if (label === "files") channel.bufferedAmountLowThreshold = FILE_BUFFER_LOW;
    this.channels.set(label, channel);
    const opened = () => this.host.channelOpen(this, label, channel);
    if (channel.readyState === "open") opened();
    else channel.addEventListener("open", opened, { once: true });
    channel.addEventListener("message", (event: MessageEvent<string | ArrayBuffer>) =>
      this.host.channelMessage(this, label, event.data),
    );
    channel.addEventListener("close", () => {
      if (this.channels.get(label) === channel) this.host.channelClosed(this, label);
    });
  }

  // ------------------------------------------------------------------------- end

  /** Stats for the end snapshot, then close. Reports `closed` unless told not to. */
  async close(reason: string, report = true): Promise<void> {
    if (this.closedReason) return;
    this.closedReason = reason;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.disconnectedTimer) clearTimeout(this.disconnectedTimer);
    if (this.statsTimer) clearInterval(this.statsTimer);
    if (report && this.pc.connectionState !== "new") {
      const info = await collectStats(this.pc, this.startedAt);
      this.host.report(this, "closed", info.stats);
    }
    for (const channel of this.channels.values()) {
      try {
        channel.close();
      } catch {
        /* already closed */
      }
    }
    this.pc.close();
    this.state = "closed";
    for (const track of this.remoteStream.getTracks()) track.stop();
    this.host.linkChanged(this);
  }
}
