/**
 * Bandwidth adaptation of one meeting (bandwidth.ts decides):
 *
 * - as a receiver, we tell each peer what we show of it ("want" on the chat channel): the stage
 *   sets it per participant (large, thumbnail, hidden); in audio-only mode we want no video;
 * - as a sender, we plan our uplink from the peers, what each asked for, whether we speak or
 *   present, and set each peer's encodings and camera preference (from its connection's
 *   bandwidth estimate, and whether an encoder of ours has been short of CPU). Planned again when
 *   any of it changes, and every few seconds (new senders, new estimates).
 */
import { effect, signal, type ReadonlySignal } from "@preact/signals-core";
import { adaptationOff } from "../../config";
import { planUplink, type Wants } from "./bandwidth";
import { encodeWants } from "./chatChannel";
import type { LocalMedia } from "./media";
import type { PeerLink } from "./peer";
import type { SpeakerState } from "./speaker";

const REPLAN_DEBOUNCE_MS = 150;
const REPLAN_EVERY_MS = 4_000;
const NO_VIDEO: Wants = { camera: "off", screen: "off" };

export interface AdaptationHost {
  readonly local: LocalMedia;
  readonly links: ReadonlyMap<string, PeerLink>;
  readonly myUid: string;
  /** The active speaker (speaking or not changes our share of the uplink). */
  readonly speakers: ReadonlySignal<SpeakerState>;
}

export class Adaptation {
  /** Our choice: no video either way (our camera and screen are not sent, nobody's is received). */
  readonly audioOnly = signal(false);
  /** Test hook (emulators only): every peer gets full quality. */
  readonly off = adaptationOff();
  private readonly shown = new Map<string, Wants>();
  private readonly sent = new WeakMap<PeerLink, string>();
  private debounce: ReturnType<typeof setTimeout> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private offSpeaker: (() => void) | null = null;
  private speaking = false;
  /** An encoder of ours has been limited by CPU in this meeting (the CPU is the machine's). */
  private cpuLimited = false;

  constructor(private readonly host: AdaptationHost) {}

  start(): void {
    this.timer ??= setInterval(() => this.replan(), REPLAN_EVERY_MS);
    this.offSpeaker ??= effect(() => {
      const speaking = this.host.speakers.value.speaker === this.host.myUid;
      if (speaking !== this.speaking) this.schedule();
      this.speaking = speaking;
    });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
    this.offSpeaker?.();
    this.timer = this.debounce = this.offSpeaker = null;
  }

  setAudioOnly(on: boolean): void {
    this.audioOnly.value = on;
    for (const link of this.host.links.values()) this.tell(link);
    this.schedule();
  }

  /** What we show of `uid` (the stage calls this when its layout changes). */
  show(uid: string, wants: Wants): void {
    const before = this.shown.get(uid);
    if (before && before.camera === wants.camera && before.screen === wants.screen) return;
    this.shown.set(uid, wants);
    const link = this.host.links.get(uid);
    if (link) this.tell(link);
  }

  /** What we ask `link`'s other side to send us. */
  wantsOf(uid: string): Wants | null {
    return this.audioOnly.peek() ? NO_VIDEO : (this.shown.get(uid) ?? null);
  }

  /** Send our wants to a peer (when they change, and when its chat channel opens). */
  tell(link: PeerLink, again = false): void {
    const wants = this.wantsOf(link.uid);
    if (!wants) return;
    const text = encodeWants(wants);
    if (!again && this.sent.get(link) === text) return;
    if (link.send("chat", text)) this.sent.set(link, text);
  }

  /** A peer told us what it wants of us. */
  received(link: PeerLink, wants: Wants): void {
    link.remoteWants = wants;
    this.schedule();
  }

  forget(uid: string): void {
    this.shown.delete(uid);
    this.schedule();
  }

  /** Plan again soon (several changes in a row make one plan). */
  schedule(): void {
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = null;
      this.replan();
    }, REPLAN_DEBOUNCE_MS);
  }

  private replan(): void {
    if (this.off) return;
    const { local, links } = this.host;
    const peers = [...links.values()].filter((link) => link.media.attached && link.state !== "closed");
    if (!peers.length) return;
    this.cpuLimited ||= peers.some((link) => link.path?.sample.cpuLimited);
    const plan = planUplink({
      peers: peers.map((link) => ({
        uid: link.uid,
        wants: link.remoteWants,
        estimateKbps: link.quality.availableOutgoingKbps,
        preference: link.media.cameraPreference,
      })),
      cpuLimited: this.cpuLimited,
      camera: !!local.cameraTrack,
      sharing: local.sharing,
      shareAudio: !!local.screenAudioTrack,
      speaking: this.speaking,
      audioOnly: this.audioOnly.peek(),
      cameraHeight: local.cameraSource?.getSettings().height ?? 720,
      screenHeight: local.screenTrack?.getSettings().height ?? 1080,
    });
    for (const link of peers) {
      const peerPlan = plan.peers.get(link.uid);
      if (peerPlan) void link.media.applyPlan(peerPlan);
    }
  }
}
