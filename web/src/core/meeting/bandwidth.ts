/**
 * The mesh's uplink budget. In a mesh every sender uploads one copy of each stream per peer, so
 * with seven peers a 720p camera would ask the uplink for seven full streams. Each sender instead
 * plans, per peer, what its camera and screen may use (RTCRtpSender.setParameters: maxBitrate,
 * scaleResolutionDownBy, maxFramerate, active) so that everything it sends stays within one total
 * budget:
 *
 * - audio first (its rate falls a little as the mesh grows), with its packet overhead;
 * - the rest is shared between the video streams by weight, each capped by what its receiver
 *   asked for ("want": high for a large tile or the presentation, low for a thumbnail, off for a
 *   hidden tile or an audio-only receiver); what a capped stream leaves is shared again;
 * - the active speaker's camera weighs more, a presented screen most (and then the presenter's
 *   camera is a thumbnail);
 * - a bitrate becomes a resolution and a frame rate by a ladder (a screen keeps its resolution
 *   and gives up frames first, a camera the other way round).
 *
 * With one peer the camera goes at full quality (720p, 30 frames/s, up to 1.8 Mbit/s); with seven
 * the whole uplink stays within 2.5 Mbit/s.
 *
 * The plan picks each camera stream's resolution; the browser has a resolution adaptation of its
 * own on top (Chromium: a camera starts at the size its 300 kbit/s start bitrate allows, 180p,
 * and steps up a rung every few seconds while the picture encodes cheaply: about 25 s to 720p).
 * Where the connection's bandwidth estimate carries the planned bitrate, the camera's sender is
 * told to keep the planned resolution ("maintain-resolution"); where it does not, or once an
 * encoder of ours has been short of CPU, the browser adapts as it would ("maintain-framerate").
 * Pure: plain data in, plain data out.
 */

export type Want = "off" | "low" | "high";
export interface Wants {
  camera: Want;
  screen: Want;
}

export const WANTS: readonly Want[] = ["off", "low", "high"];

/** What goes into one RTCRtpEncodingParameters (bitrate in bits per second). */
export interface Encoding {
  active: boolean;
  maxBitrate: number;
  scaleResolutionDownBy: number;
  maxFramerate: number;
}

/** What the browser may give up first when a camera stream is short of bandwidth or CPU. */
export type CameraPreference = "maintain-framerate" | "maintain-resolution";

export interface PeerPlan {
  /** The microphone's (and the screen sound's) maxBitrate, bits per second. */
  audioBitrate: number;
  camera: Encoding;
  screen: Encoding;
  /** The camera sender's degradationPreference (RTCRtpSendParameters). */
  cameraPreference: CameraPreference;
}

/** What a peer's connection tells the plan (all optional: a connection not measured yet). */
export interface PeerLinkState {
  /** The browser's bandwidth estimate for sending on this connection (kbit/s). */
  estimateKbps?: number | null;
  /** The camera preference set on this connection now. */
  preference?: CameraPreference;
}

export interface UplinkInput {
  /** The connected peers with what each asked for (null: it never said). */
  peers: readonly ({ uid: string; wants: Wants | null } & PeerLinkState)[];
  camera: boolean;
  sharing: boolean;
  shareAudio: boolean;
  /** We are the active speaker. */
  speaking: boolean;
  /** We chose to send no video. */
  audioOnly: boolean;
  /** Heights of the sources (pixels). */
  cameraHeight: number;
  screenHeight: number;
  budgetKbps?: number;
  /** An encoder of ours has been limited by CPU in this meeting. */
  cpuLimited?: boolean;
}

export interface UplinkPlan {
  peers: Map<string, PeerPlan>;
  /** What the plan allows on the wire in total, headers included (kbit/s). */
  totalKbps: number;
}

/** Everything one sender uploads, headers included (kbit/s). */
export const UPLINK_BUDGET_KBPS = 2500;
/** Part of the budget the plan hands out; the rest is for RTCP, data channels and slack. */
const PLAN_SHARE = 0.95;
/** Video on the wire per bit of encoder target: packet headers, retransmissions, probing. */
const VIDEO_OVERHEAD = 1.08;
/** IP/UDP/SRTP/RTP headers of an audio stream: 50 packets/s of ~50 bytes. */
const AUDIO_OVERHEAD_KBPS = 20;
/** The least a sent video stream gets, whatever the budget. */
const MIN_VIDEO_KBPS = 60;

const TIERS = {
  camera: { high: { capKbps: 1800, weight: 3 }, low: { capKbps: 300, weight: 1 } },
  screen: { high: { capKbps: 2000, weight: 5 }, low: { capKbps: 500, weight: 1 } },
} as const;
const SPEAKER_BOOST = 2;

/** [at least kbit/s, height, frames/s]: the first row the bitrate reaches. */
const CAMERA_LADDER: readonly (readonly [number, number, number])[] = [
  [1200, 720, 30],
  [650, 540, 30],
  [350, 360, 30],
  [200, 270, 24],
  [120, 180, 15],
  [0, 180, 10],
];
const SCREEN_LADDER: readonly (readonly [number, number, number])[] = [
  [1200, 1080, 15],
  [600, 1080, 10],
  [300, 720, 8],
  [0, 540, 5],
];

const OFF: Encoding = { active: false, maxBitrate: 100_000, scaleResolutionDownBy: 4, maxFramerate: 5 };

/**
 * Keep the planned resolution once the estimate reaches the camera's planned bitrate, and go on
 * keeping it until the estimate falls below this share of it (no flapping around the cap).
 */
const KEEP_RESOLUTION_DOWN_SHARE = 0.75;

/**
 * The camera sender's preference on one connection: "maintain-resolution" (the plan's resolution,
 * at once) when the connection's bandwidth estimate carries the planned bitrate, the camera is
 * sent and no encoder of ours has been short of CPU (a CPU-bound encoder must be free to send
 * fewer pixels); otherwise "maintain-framerate", the browser's own adaptation.
 */
export function cameraPreference(
  camera: Encoding,
  estimateKbps: number | null | undefined,
  current: CameraPreference | undefined,
  cpuLimited: boolean,
): CameraPreference {
  if (!camera.active || cpuLimited || estimateKbps == null) return "maintain-framerate";
  const plannedKbps = camera.maxBitrate / 1000;
  const share = current === "maintain-resolution" ? KEEP_RESOLUTION_DOWN_SHARE : 1;
  return estimateKbps >= plannedKbps * share ? "maintain-resolution" : "maintain-framerate";
}

export function audioKbps(peers: number): number {
  return peers <= 2 ? 40 : peers <= 4 ? 32 : 24;
}

/**
 * What a peer that never said gets: a presenter's screen large and its camera small; otherwise
 * the speaker's camera, and everyone's in a small meeting, large.
 */
export function defaultWants(peers: number, speaking: boolean, sharing: boolean): Wants {
  return { camera: !sharing && (speaking || peers <= 3) ? "high" : "low", screen: "high" };
}

interface Item {
  uid: string;
  kind: "camera" | "screen";
  weight: number;
  capKbps: number;
  kbps: number;
}

/**
 * Share `budget` by weight: each item first gets `floor`, then a part of the rest by its weight,
 * none above its cap; what capped items leave goes to the others.
 */
export function waterFill(items: { weight: number; capKbps: number; kbps: number }[], budget: number, floor = 0): void {
  let open = items.filter((item) => item.weight > 0);
  for (const item of open) item.kbps = Math.min(floor, item.capKbps);
  let left = Math.max(0, budget - open.reduce((sum, item) => sum + item.kbps, 0));
  while (open.length) {
    const total = open.reduce((sum, item) => sum + item.weight, 0);
    const capped = open.filter((item) => item.kbps + (left * item.weight) / total >= item.capKbps);
    if (!capped.length) {
      for (const item of open) item.kbps += (left * item.weight) / total;
      return;
    }
    for (const item of capped) {
      left -= item.capKbps - item.kbps;
      item.kbps = item.capKbps;
    }
    open = open.filter((item) => !capped.includes(item));
  }
}

function rung(ladder: typeof CAMERA_LADDER, kbps: number): readonly [number, number, number] {
  return ladder.find(([min]) => kbps >= min) ?? ladder[ladder.length - 1];
}

/** The encoding of a stream given its bitrate and its source's height. */
export function encodingFor(kind: "camera" | "screen", kbps: number, sourceHeight: number): Encoding {
  const [, height, fps] = rung(kind === "camera" ? CAMERA_LADDER : SCREEN_LADDER, kbps);
  const scale = Math.max(1, sourceHeight / height);
  return {
    active: true,
    maxBitrate: Math.round(kbps * 1000),
    scaleResolutionDownBy: Math.round(scale * 1000) / 1000,
    maxFramerate: fps,
  };
}

function videoItems(input: UplinkInput): Item[] {
  const n = input.peers.length;
  const items: Item[] = [];
  for (const peer of input.peers) {
    const wants = peer.wants ?? defaultWants(n, input.speaking, input.sharing);
    if (input.camera && !input.audioOnly && wants.camera !== "off") {
      const tier = TIERS.camera[wants.camera];
      // While presenting, the screen is what people look at, not the speaker's face.
      const weight = tier.weight * (input.speaking && !input.sharing ? SPEAKER_BOOST : 1);
      items.push({ uid: peer.uid, kind: "camera", weight, capKbps: tier.capKbps, kbps: 0 });
    }
    if (input.sharing && !input.audioOnly && wants.screen !== "off") {
      const tier = TIERS.screen[wants.screen];
      items.push({ uid: peer.uid, kind: "screen", weight: tier.weight, capKbps: tier.capKbps, kbps: 0 });
    }
  }
  return items;
}

export function planUplink(input: UplinkInput): UplinkPlan {
  const n = input.peers.length;
  const budget = input.budgetKbps ?? UPLINK_BUDGET_KBPS;
  const audio = audioKbps(n);
  const audioStreams = n * (input.sharing && input.shareAudio ? 2 : 1);
  const audioTotal = audioStreams * (audio + AUDIO_OVERHEAD_KBPS);
  const items = videoItems(input);
  waterFill(items, (budget * PLAN_SHARE - audioTotal) / VIDEO_OVERHEAD, MIN_VIDEO_KBPS);
  const peers = new Map<string, PeerPlan>();
  for (const peer of input.peers) {
    peers.set(peer.uid, { audioBitrate: audio * 1000, camera: OFF, screen: OFF, cameraPreference: "maintain-framerate" });
  }
  let videoTotal = 0;
  for (const item of items) {
    const height = item.kind === "camera" ? input.cameraHeight : input.screenHeight;
    const encoding = encodingFor(item.kind, item.kbps, height || 720);
    const plan = peers.get(item.uid);
    if (plan) plan[item.kind] = encoding;
    videoTotal += encoding.maxBitrate / 1000;
  }
  for (const peer of input.peers) {
    const plan = peers.get(peer.uid);
    if (plan) plan.cameraPreference = cameraPreference(plan.camera, peer.estimateKbps, peer.preference, !!input.cpuLimited);
  }
  return { peers, totalKbps: Math.round(audioTotal + videoTotal * VIDEO_OVERHEAD) };
}

/** Two encodings that would set the same parameters. */
export function sameEncoding(a: Encoding | undefined, b: Encoding | undefined): boolean {
  return (
    !!a &&
    !!b &&
    a.active === b.active &&
    a.maxBitrate === b.maxBitrate &&
    a.scaleResolutionDownBy === b.scaleResolutionDownBy &&
    a.maxFramerate === b.maxFramerate
  );
}
