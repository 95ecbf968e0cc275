/**
 * The media of one connection: a transceiver per slot (slots.ts), the local tracks on their
 * senders with the encodings the uplink plan gives this peer (bandwidth.ts), and what arrives: the
 * other side's microphone and camera in one stream, its screen and the screen's sound in another.
 */
import type { HostPermission } from "../../protocol.gen";
import type { CameraPreference, Encoding, PeerPlan } from "./bandwidth";
import type { RemoteMedia } from "./chatChannel";
import { heldSlots, withheld } from "./held";
import type { LocalMedia } from "./media";
import { isScreenSlot, SLOT_KIND, SLOTS, slotsOf, type Slot } from "./slots";

/** Cumulative audio energy of a stream (webrtc-stats totalAudioEnergy, totalSamplesDuration). */
export interface AudioEnergy {
  energy: number;
  duration: number;
}

type Stat = Record<string, unknown> & { type: string };

function audioEnergyIn(report: RTCStatsReport, type: string): AudioEnergy | null {
  let found: AudioEnergy | null = null;
  report.forEach((item: Stat) => {
    if (item.type === type && item.kind === "audio" && typeof item.totalAudioEnergy === "number") {
      found = { energy: item.totalAudioEnergy, duration: Number(item.totalSamplesDuration) || 0 };
    }
  });
  return found;
}

export class LinkMedia {
  /** The other side's microphone and camera. */
  readonly cameraStream = new MediaStream();
  /** The other side's shared screen and its sound. */
  readonly screenStream = new MediaStream();
  /** Our tracks are on the senders (the caller at once, the callee once the offer is in). */
  attached = false;
  /** The camera sender's degradationPreference as last set (undefined: the browser's default). */
  cameraPreference: CameraPreference | undefined;
  /** The browser refused a degradationPreference: the plan's encodings are set without it. */
  private preferenceRefused = false;
  private readonly transceivers = new Map<Slot, RTCRtpTransceiver>();
  private parameters: Promise<void> = Promise.resolve();
  /** What a host turned off for the other side (features/hosts): those slots' received tracks are
   * disabled (silence, black: in tiles, recordings and picture in picture alike), whatever it sends. */
  private held: readonly HostPermission[] = [];

  constructor(
    private readonly pc: RTCPeerConnection,
    private readonly local: LocalMedia,
    private readonly changed: () => void,
  ) {}

  private localTrack(slot: Slot): MediaStreamTrack | null {
    const local = this.local;
    return { mic: local.audioTrack, camera: local.cameraTrack, screen: local.screenTrack, screenAudio: local.screenAudioTrack }[slot];
  }

  private localStream(slot: Slot): MediaStream {
    return isScreenSlot(slot) ? this.local.screenStream : this.local.stream;
  }

  private add(slot: Slot): void {
    const transceiver = this.pc.addTransceiver(this.localTrack(slot) ?? SLOT_KIND[slot], {
      direction: "sendrecv",
      streams: [this.localStream(slot)],
    });
    this.transceivers.set(slot, transceiver);
    this.applyHeld();
  }

  /** Caller side: every slot, in order (sharing later needs no renegotiation). */
  addAll(): void {
    for (const slot of SLOTS) this.add(slot);
    this.attached = true;
  }

  /** Take the transceivers a remote offer created (all of them at first, new ones later). */
  adopt(): void {
    const all = this.pc.getTransceivers();
    const slots = slotsOf(all.map((t) => t.receiver.track.kind));
    all.forEach((transceiver, i) => {
      const slot = slots[i];
      if (!slot || this.transceivers.has(slot)) return;
      this.transceivers.set(slot, transceiver);
      // Both sides may send on every slot (either may share the screen).
      transceiver.direction = "sendrecv";
      transceiver.sender.setStreams?.(this.localStream(slot));
    });
    this.applyHeld();
  }

  /** Hold what a host turned off for the other side (an empty list: nothing). */
  hold(held: readonly HostPermission[]): void {
    if (held.join() === this.held.join()) return;
    this.held = held;
    this.applyHeld();
    this.changed();
  }

  private applyHeld(): void {
    const slots = heldSlots(this.held);
    for (const [slot, transceiver] of this.transceivers) transceiver.receiver.track.enabled = !slots.has(slot);
  }

  /** The other side's media message as this page shows it: without what is held. */
  shown(media: RemoteMedia): RemoteMedia {
    return withheld(media, this.held);
  }

  /** Callee side: our tracks go on the transceivers that the offer created. */
  async attach(): Promise<void> {
    this.attached = true;
    this.adopt();
    await this.sync();
  }

  /**
   * Put the current local tracks on the senders (after a mute, a device change, a share). When
   * a track has no slot yet (the other side offered fewer: a share on a connection that an older
   * or media-less client called), every missing slot is added in order, which renegotiates and
   * keeps both sides' slot order.
   */
  async sync(): Promise<void> {
    if (!this.attached) return;
    const missing = SLOTS.filter((slot) => !this.transceivers.has(slot));
    if (missing.some((slot) => this.localTrack(slot)) && this.pc.signalingState !== "closed") {
      for (const slot of missing) this.add(slot);
    }
    const jobs: Promise<void>[] = [];
    for (const [slot, transceiver] of this.transceivers) {
      const track = this.localTrack(slot);
      if (transceiver.sender.track !== track) jobs.push(transceiver.sender.replaceTrack(track));
    }
    await Promise.all(jobs.map((job) => job.catch((error) => console.debug("replaceTrack failed", error))));
  }

  /** A remote track arrived: it joins the camera's or the screen's stream by its slot. */
  onTrack(event: RTCTrackEvent): void {
    this.adopt();
    const slot = [...this.transceivers].find(([, t]) => t === event.transceiver)?.[0];
    if (!slot) return;
    const track = event.track;
    const stream = isScreenSlot(slot) ? this.screenStream : this.cameraStream;
    for (const old of stream.getTracks()) {
      if (old.kind === track.kind && old !== track) stream.removeTrack(old);
    }
    if (!stream.getTracks().includes(track)) stream.addTrack(track);
    track.addEventListener("mute", this.changed);
    track.addEventListener("unmute", this.changed);
    track.addEventListener("ended", this.changed);
    this.changed();
  }

  /** The remote video of a slot is there and not muted. */
  live(slot: "camera" | "screen"): boolean {
    const video = (slot === "screen" ? this.screenStream : this.cameraStream).getVideoTracks()[0];
    return !!video && !video.muted && video.readyState === "live";
  }

  /** Set this peer's share of the uplink on the senders (one setParameters at a time). */
  applyPlan(plan: PeerPlan): Promise<void> {
    this.parameters = this.parameters.then(async () => {
      await this.setEncoding("camera", plan.camera, plan.cameraPreference);
      await this.setEncoding("screen", plan.screen);
      await this.setEncoding("mic", { maxBitrate: plan.audioBitrate });
      await this.setEncoding("screenAudio", { maxBitrate: plan.audioBitrate });
    });
    return this.parameters;
  }

  /** Whether the sender now has `wanted` (and `preference`, unless the browser refuses it). */
  private async setEncoding(slot: Slot, wanted: Partial<Encoding>, preference?: CameraPreference): Promise<boolean> {
    const sender = this.transceivers.get(slot)?.sender;
    if (!sender || this.pc.signalingState === "closed") return false;
    if (this.preferenceRefused) preference = undefined;
    try {
      const parameters = sender.getParameters();
      const encoding = parameters.encodings?.[0];
      if (!encoding) return false; // not negotiated yet: the next plan sets it
      const current = encoding as Record<string, unknown>;
      const samePreference = !preference || this.cameraPreference === preference;
      if (samePreference && Object.entries(wanted).every(([key, value]) => current[key] === value)) return true;
      Object.assign(encoding, wanted);
      if (preference) parameters.degradationPreference = preference;
      await sender.setParameters(parameters);
      if (preference) this.cameraPreference = preference;
      return true;
    } catch (error) {
      // Without the preference it works: the browser refuses the preference itself (not a
      // passing failure), so the encodings go on without it from now on.
      if (preference && (await this.setEncoding(slot, wanted))) {
        this.preferenceRefused = true;
        return true;
      }
      console.debug(`setParameters of the ${slot} failed`, error);
      return false;
    }
  }

  /** What the senders use now (the test hook and the benchmark read it). */
  encodings(): Partial<Record<Slot, RTCRtpEncodingParameters | null>> {
    const out: Partial<Record<Slot, RTCRtpEncodingParameters | null>> = {};
    for (const [slot, transceiver] of this.transceivers) out[slot] = transceiver.sender.getParameters().encodings?.[0] ?? null;
    return out;
  }

  /** The camera sender's degradationPreference as the browser has it (the test hook reads it). */
  cameraDegradation(): RTCDegradationPreference | null {
    return this.transceivers.get("camera")?.sender.getParameters().degradationPreference ?? null;
  }

  /** The microphone's sound as received from the other side, for the speaker detection. */
  async receivedEnergy(): Promise<AudioEnergy | null> {
    const receiver = this.transceivers.get("mic")?.receiver;
    if (!receiver || this.pc.connectionState !== "connected") return null;
    return audioEnergyIn(await receiver.getStats(), "inbound-rtp");
  }

  /** Our microphone's sound as this connection's sender takes it in (the local level). */
  async sentEnergy(): Promise<AudioEnergy | null> {
    const sender = this.transceivers.get("mic")?.sender;
    if (!sender?.track || this.pc.connectionState !== "connected") return null;
    return audioEnergyIn(await sender.getStats(), "media-source");
  }

  stop(): void {
    for (const stream of [this.cameraStream, this.screenStream]) for (const track of stream.getTracks()) track.stop();
  }
}
