/**
 * One RTCPeerConnection to one session of another participant (docs/protocol.md section 4).
 *
 * - The newcomer is the *caller*: it adds a transceiver per media slot (microphone, camera,
 *   screen, screen sound: slots.ts) and the data channels; `negotiationneeded` then sends the
 *   offer. The callee attaches its tracks to the transceivers the offer created, so the initial
 *   connection needs a single round trip and sharing the screen none (linkMedia.ts). An offer
 *   left unanswered is sent again (offerWatch.ts).
 * - Every later negotiation (ICE restart, a slot the other side's offer lacked) uses the
 *   perfect-negotiation pattern: the peer with the lexicographically smaller uid is polite and
 *   rolls back its own offer on a collision. A connection that fails is restarted (ICE, up to
 *   4 times in a row: iceRestarts.ts) and reported `failed` only once given up: that report
 *   ends its CDR leg.
 * - Local candidates are trickled in batches (candidates.ts); remote candidates that arrive
 *   before the remote description are queued. */
import { signal, type Signal } from "@preact/signals-core";
import type { Role, SignalCandidate } from "../../protocol.gen";
import type { Wants } from "./bandwidth";
import { LinkMedia } from "./linkMedia";
import { assessQuality, UNKNOWN_QUALITY, type Quality, type QualitySample } from "./quality";
import { collectStats, type PathInfo } from "./stats";
import { connectionSafety, type SafetyInfo } from "./safety";
import type { OutgoingSignal } from "./signalling";
import type { RemoteMedia } from "./chatChannel";
import { CandidateBatcher } from "./candidates";
import { OfferWatch } from "./offerWatch";
import { IceRestarts } from "./iceRestarts";
import { bindChannel, CHANNELS, connectionStateOf, reportsState, type ChannelLabel, type LinkHost, type LinkState, type LinkView, linkView } from "./link";
import { isLoopbackCandidate, relayOnlyCandidate, stripCandidates } from "./sdp";

const DISCONNECTED_GRACE_MS = 3000;
const STATS_INTERVAL_MS = 3000;

export class PeerLink {
  readonly pc: RTCPeerConnection;
  readonly polite: boolean;
  readonly media: LinkMedia;
  readonly channels = new Map<ChannelLabel, RTCDataChannel>();
  readonly startedAt = performance.now();
  /** Privacy mode: only relay candidates leave, without their related address. */
  readonly relayOnly: boolean;
  state: LinkState = "connecting";
  connectionState: RTCPeerConnectionState = "new";
  path: PathInfo | null = null;
  quality: Quality = UNKNOWN_QUALITY;
  safetyCode: string | null = null;
  /** Both device codes and the other side's certificate fingerprint (safety.ts). */
  safety: SafetyInfo | null = null;
  /** What the other side told us over the chat channel (mic, camera, screen, recording); the view
   * shows it without what a host turned off for that person (LinkMedia.hold). */
  remoteMedia: RemoteMedia = { audio: true, video: true, screen: false, recording: false };
  closedReason: string | null = null;
  /** What the other side asked for of our camera and screen (null: it never said). */
  remoteWants: Wants | null = null;
  /** What the UI shows; components subscribe to the connection they show. */
  readonly view: Signal<LinkView>;

  private makingOffer = false;
  private ignoreOffer = false;
  private settingRemoteAnswer = false;
  private everConnected = false;
  /** Whether a status other than the first `connecting` has been reported on this link. */
  private reportedAny = false;
  private lastSample: QualitySample | null = null;
  private remoteQueue: SignalCandidate[] = [];
  private readonly offerWatch: OfferWatch;
  /** ICE restarts: on failure, a long disconnection or a network change (Meeting). */
  readonly restarts = new IceRestarts(
    () => this.iceRestart(),
    () => void this.giveUp(),
    () => this.connectionState === "connected",
  );
  private readonly batcher = new CandidateBatcher((candidates) => this.enqueue({ type: "candidates", candidates }));
  private sendChain: Promise<void> = Promise.resolve();
  private disconnectedTimer: ReturnType<typeof setTimeout> | null = null;
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  /** The candidate pair last reported: a switch after connecting is reported too (the CDR holds
   * the addresses the connection uses, and ICE may move to a better pair once its checks pass). */
  private reportedPath = "";
  private reportedConnectStats = false;
  /** The (bundled) DTLS transport whose events are followed too (link.ts, connectionStateOf). */
  private transport: RTCDtlsTransport | null = null;

  constructor(
    private readonly host: LinkHost,
    readonly uid: string,
    readonly remoteSession: string,
    readonly role: Role,
    ice: Pick<RTCConfiguration, "iceServers" | "iceTransportPolicy">,
  ) {
    this.polite = host.myUid < uid;
    this.relayOnly = ice.iceTransportPolicy === "relay";
    // This device's kept certificate: its safety code stays the same from meeting to meeting.
    const certificates = host.certificate ? [host.certificate] : undefined;
    this.pc = new RTCPeerConnection({ ...ice, certificates, bundlePolicy: "max-bundle", rtcpMuxPolicy: "require" });
    this.media = new LinkMedia(this.pc, host.local, () => this.changed());
    this.view = signal<LinkView>(linkView(this));
    this.pc.addEventListener("negotiationneeded", () => void this.onNegotiationNeeded());
    this.pc.addEventListener("icecandidate", (event) => this.onLocalCandidate(event.candidate));
    this.pc.addEventListener("icegatheringstatechange", () => {
      if (this.pc.iceGatheringState === "gathering") this.batcher.restart();
    });
    this.pc.addEventListener("connectionstatechange", () => void this.onConnectionState());
    this.pc.addEventListener("signalingstatechange", () => this.watchTransport());
    this.offerWatch = new OfferWatch(this.pc, () => this.sendDescription(), () => void this.giveUp());
    this.pc.addEventListener("track", (event) => this.media.onTrack(event));
    this.pc.addEventListener("datachannel", (event) => bindChannel(this, this.host, event.channel));
  }

  /** Caller side: transceivers then data channels; negotiationneeded sends the offer. */
  startAsCaller(): void {
    this.media.addAll();
    for (const label of CHANNELS) bindChannel(this, this.host, this.pc.createDataChannel(label, { ordered: true }));
  }

  /** The other side's microphone and camera. */
  get remoteStream(): MediaStream {
    return this.media.cameraStream;
  }

  /** The other side's shared screen (and its sound). */
  get screenStream(): MediaStream {
    return this.media.screenStream;
  }

  /** Put the current local tracks on the senders (after a mute, camera or screen change). */
  syncTracks(): Promise<void> {
    return this.media.sync();
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
      if (!this.media.attached) await this.media.attach();
      else this.media.adopt(); // a renegotiation may bring new slots
      await pc.setLocalDescription();
      this.sendDescription();
    }
    await this.applyQueuedCandidates();
  }

  async addRemoteCandidates(entries: SignalCandidate[]): Promise<void> {
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

  private async applyCandidate(entry: SignalCandidate): Promise<void> {
    try {
      if (entry.candidate === "") await this.pc.addIceCandidate();
      else await this.pc.addIceCandidate(entry);
    } catch (error) {
      if (!this.ignoreOffer && this.pc.signalingState !== "closed") {
        console.debug("a remote candidate was not applied", error);
      }
    }
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
    let line = candidate?.candidate ?? "";
    if (line && this.host.loopbackOnly && !isLoopbackCandidate(line)) return;
    if (line && this.relayOnly) {
      const kept = relayOnlyCandidate(line);
      if (kept === null) return;
      line = kept;
    }
    this.batcher.add(candidate && { candidate: line, sdpMid: candidate.sdpMid ?? null, sdpMLineIndex: candidate.sdpMLineIndex ?? null });
  }

  // ------------------------------------------------------------------------- state

  /** Follow the transport's own state too, once the descriptions have made it. */
  private watchTransport(): void {
    const transport = this.pc.sctp?.transport ?? this.pc.getTransceivers()[0]?.sender.transport ?? null;
    if (!transport || transport === this.transport) return;
    this.transport = transport;
    const changed = () => void this.onConnectionState();
    transport.addEventListener("statechange", changed);
    transport.iceTransport?.addEventListener("statechange", changed);
  }

  private async onConnectionState(): Promise<void> {
    const transport = this.transport;
    const state = connectionStateOf(this.pc.connectionState, transport?.state ?? null, transport?.iceTransport?.state ?? null);
    // The transport and then the connection say "connected": act once.
    if (state === this.connectionState) return;
    this.connectionState = state;
    if (this.disconnectedTimer && state !== "disconnected") {
      clearTimeout(this.disconnectedTimer);
      this.disconnectedTimer = null;
    }
    switch (state) {
      case "connected":
        this.everConnected = true;
        this.restarts.connected();
        this.offerWatch.connected();
        this.state = "connected";
        this.startStats();
        void this.computeSafetyCode();
        break;
      case "disconnected":
        this.state = "reconnecting";
        this.disconnectedTimer = setTimeout(() => {
          if (this.pc.connectionState === "disconnected") this.restarts.now();
        }, DISCONNECTED_GRACE_MS);
        break;
      case "failed": // restarted while it may be, else given up (`failed` ends the CDR leg)
        if (this.restarts.now()) this.state = "reconnecting";
        else void this.giveUp();
        break;
      case "closed":
        this.state = "closed";
        break;
      default:
        this.state = this.everConnected ? "reconnecting" : "connecting";
    }
    this.changed();
    if (state === "connected" && !this.reportedConnectStats) {
      this.reportedConnectStats = true;
      const info = await collectStats(this.pc, this.startedAt);
      this.path = info;
      this.reportedPath = JSON.stringify(info.path ?? null);
      this.host.report(this, "connected", info.stats, info.path);
      this.changed();
    } else if (state !== "failed" && reportsState(state, this.reportedAny)) { // failed: giveUp's
      this.host.report(this, state);
    }
    if (state !== "new" && state !== "connecting") this.reportedAny = true;
  }

  /** One ICE restart (iceRestarts.ts decides when; none once given up: the leg has ended). */
  private iceRestart(): boolean {
    if (this.pc.signalingState === "closed" || !this.host.iceRestartAllowed(this)) return false;
    this.pc.restartIce();
    return true;
  }

  private startStats(): void {
    if (this.statsTimer) return;
    this.statsTimer = setInterval(() => void this.refreshStats(), STATS_INTERVAL_MS);
  }

  private async refreshStats(): Promise<void> {
    if (this.pc.connectionState === "closed") return;
    this.path = await collectStats(this.pc, this.startedAt);
    const pair = JSON.stringify(this.path.path ?? null);
    if (this.reportedPath && this.path.path && pair !== this.reportedPath && this.pc.connectionState === "connected") {
      this.reportedPath = pair;
      this.host.report(this, "connected", undefined, this.path.path); // the connect stats stay
    }
    this.quality = this.pc.connectionState === "connected" ? assessQuality(this.lastSample, this.path.sample) : UNKNOWN_QUALITY;
    this.lastSample = this.path.sample;
    if (!this.safetyCode) await this.computeSafetyCode();
    this.changed();
  }

  private async computeSafetyCode(): Promise<void> {
    const safety = await connectionSafety(this.pc);
    if (safety?.code !== this.safetyCode || safety?.remoteFingerprint !== this.safety?.remoteFingerprint) {
      this.safety = safety;
      this.safetyCode = safety?.code ?? null;
      this.changed();
    }
  }

  /** What the other side says it sends (its "media" message on the chat channel). */
  setRemoteMedia(media: RemoteMedia): void {
    this.remoteMedia = media;
    this.changed();
  }

  /** Publish the new state to the UI (the components showing this connection re-render). */
  private changed(): void {
    this.view.value = linkView(this);
  }

  // ------------------------------------------------------------------------- end

  /** Stats for the end snapshot, then close. Reports `closed` unless told not to. */
  async close(reason: string, report = true): Promise<void> {
    if (this.closedReason) return;
    this.quiet(reason);
    if (report && this.pc.connectionState !== "new") {
      const info = await collectStats(this.pc, this.startedAt);
      this.host.report(this, "closed", info.stats, info.path);
    }
    this.shutDown("closed");
  }

  /** Given up: our offers went unanswered (offerWatch.ts), or ICE restarts did not bring the
   * connection back (iceRestarts.ts). Reported `failed`, which ends its leg, then closed, so
   * that the other side's restarts cannot bring it back unrecorded; its tile says so. */
  private async giveUp(): Promise<void> {
    if (this.closedReason) return;
    this.quiet("given up");
    this.state = "failed";
    this.changed();
    const info = await collectStats(this.pc, this.startedAt);
    this.host.report(this, "failed", info.stats, info.path); // the connection's last word
    this.shutDown("failed");
  }

  /** Nothing more is sent, restarted or measured. */
  private quiet(reason: string): void {
    this.closedReason = reason;
    this.batcher.cancel();
    this.offerWatch.stop();
    this.restarts.stop();
    if (this.disconnectedTimer) clearTimeout(this.disconnectedTimer);
    if (this.statsTimer) clearInterval(this.statsTimer);
  }

  private shutDown(state: LinkState): void {
    for (const channel of this.channels.values()) channel.close(); // never throws, even when closed
    this.pc.close();
    this.state = state;
    this.media.stop();
    this.changed();
  }
}
