/**
 * Recording (lazy-loaded): the grid is composited onto a canvas (names included), the
 * participants' audio is mixed with WebAudio, and MediaRecorder's chunks go to IndexedDB every
 * second. Nothing is uploaded. Paused, nothing is drawn or recorded: the recording skips that time.
 */
import { saveChunk, saveMeta, type RecordingMeta } from "./store";

export interface RecordingSource {
  uid: string;
  name: string;
  video: HTMLVideoElement;
  audio: MediaStreamTrack | null;
}

export interface RecorderOptions {
  meetingId: string;
  title: string | null;
  sources: () => RecordingSource[];
  /** Called once stopped: whatever the sources held for the recording can go. */
  onStop?: () => void;
}

const WIDTH = 1280;
const HEIGHT = 720;
const FPS = 25;

function pickMime(): string {
  const candidates = [
    "video/webm;codecs=vp8,opus",
    "video/webm;codecs=vp9,opus",
    "video/webm",
    "video/mp4;codecs=avc1,mp4a",
    "video/mp4",
  ];
  return candidates.find((type) => MediaRecorder.isTypeSupported(type)) ?? "";
}

/** The participants' audio mixed into one track (WebAudio), following who is there. */
class AudioMix {
  private readonly context = new AudioContext();
  private readonly mix = this.context.createMediaStreamDestination();
  private readonly nodes = new Map<string, MediaStreamAudioSourceNode>();

  constructor(private readonly sources: () => RecordingSource[]) {}

  get tracks(): MediaStreamTrack[] {
    return this.mix.stream.getAudioTracks();
  }

  async start(): Promise<void> {
    await this.context.resume().catch(() => undefined);
    this.sync();
  }

  sync(): void {
    const wanted = new Map<string, MediaStreamTrack>();
    for (const source of this.sources()) {
      if (source.audio && source.audio.readyState === "live") wanted.set(source.audio.id, source.audio);
    }
    for (const [id, node] of this.nodes) {
      if (!wanted.has(id)) {
        node.disconnect();
        this.nodes.delete(id);
      }
    }
    for (const [id, track] of wanted) {
      if (this.nodes.has(id)) continue;
      const node = this.context.createMediaStreamSource(new MediaStream([track]));
      node.connect(this.mix);
      this.nodes.set(id, node);
    }
  }

  async close(): Promise<void> {
    for (const node of this.nodes.values()) node.disconnect();
    await this.context.close().catch(() => undefined);
  }
}

/** One frame: the tiles in a grid, each with its name. */
function drawFrame(ctx: CanvasRenderingContext2D, sources: RecordingSource[]): void {
  ctx.fillStyle = "#15181d";
  ctx.fillRect(0, 0, WIDTH, HEIGHT);
  const n = Math.max(1, sources.length);
  const cols = n <= 1 ? 1 : n <= 4 ? 2 : n <= 9 ? 3 : 4;
  const rows = Math.ceil(n / cols);
  const gap = 8;
  const cellW = (WIDTH - gap * (cols + 1)) / cols;
  const cellH = (HEIGHT - gap * (rows + 1)) / rows;
  sources.forEach((source, i) => {
    const x = gap + (i % cols) * (cellW + gap);
    const y = gap + Math.floor(i / cols) * (cellH + gap);
    ctx.fillStyle = "#262a31";
    ctx.fillRect(x, y, cellW, cellH);
    const v = source.video;
    if (v.readyState >= 2 && v.videoWidth > 0 && !v.closest(".no-video")) {
      const scale = Math.min(cellW / v.videoWidth, cellH / v.videoHeight);
      const w = v.videoWidth * scale;
      const hgt = v.videoHeight * scale;
      ctx.drawImage(v, x + (cellW - w) / 2, y + (cellH - hgt) / 2, w, hgt);
    } else {
      ctx.fillStyle = "#5f6368";
      ctx.beginPath();
      ctx.arc(x + cellW / 2, y + cellH / 2, Math.min(cellW, cellH) / 6, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.font = "600 20px system-ui, sans-serif";
    const label = source.name;
    const tw = ctx.measureText(label).width;
    ctx.fillStyle = "rgba(0,0,0,0.55)";
    ctx.fillRect(x + 8, y + cellH - 38, tw + 16, 30);
    ctx.fillStyle = "#fff";
    ctx.fillText(label, x + 16, y + cellH - 16);
  });
}

/** A recording under way (RoomUi.recorder). */
export interface Recorder {
  stop(): Promise<void>;
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  readonly startedAt: number;
  /** How long it has recorded, pauses left out. */
  readonly recordedMs: number;
  readonly bytes: number;
}

/** How much of `now - startedAt` was recorded: the pauses ended (`pausedMs`) and the current
 * one (since `pausedAt`, null when recording) left out. Pure. */
export function recordedMs(startedAt: number, pausedMs: number, pausedAt: number | null, now: number): number {
  return Math.max(0, (pausedAt ?? now) - startedAt - pausedMs);
}

export async function startRecording(options: RecorderOptions): Promise<Recorder> {
  if (typeof MediaRecorder === "undefined") throw new Error("this browser cannot record");
  const canvas = document.createElement("canvas");
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("no canvas");

  const audio = new AudioMix(options.sources);
  await audio.start();
  const draw = () => drawFrame(ctx, options.sources());
  draw();
  // A timer rather than requestAnimationFrame: it keeps drawing while the tab is in the background.
  let drawTimer = setInterval(draw, 1000 / FPS);
  let audioTimer = setInterval(() => audio.sync(), 1000);
  const stopTimers = () => {
    clearInterval(drawTimer);
    clearInterval(audioTimer);
  };

  const videoTrack = canvas.captureStream(FPS).getVideoTracks()[0];
  const stream = new MediaStream([videoTrack, ...audio.tracks]);
  const mime = pickMime();
  const recorder = new MediaRecorder(stream, mime ? { mimeType: mime, videoBitsPerSecond: 2_500_000 } : undefined);
  const startedAt = Date.now();
  let pausedMs = 0;
  let pausedAt: number | null = null;
  const recorded = () => recordedMs(startedAt, pausedMs, pausedAt, Date.now());
  const meta: RecordingMeta = {
    id: `${startedAt.toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    meetingId: options.meetingId,
    title: options.title,
    startedAt,
    durationMs: 0,
    size: 0,
    mime: recorder.mimeType || mime || "video/webm",
    chunks: 0,
    complete: false,
  };
  await saveMeta(meta);
  let writes: Promise<void> = Promise.resolve();
  recorder.addEventListener("dataavailable", (event) => {
    if (!event.data || event.data.size === 0) return;
    const seq = meta.chunks++;
    meta.size += event.data.size;
    meta.durationMs = recorded();
    const blob = event.data;
    writes = writes.then(async () => {
      await saveChunk(meta.id, seq, blob);
      await saveMeta({ ...meta });
    });
  });
  const stopped = new Promise<void>((resolve) => recorder.addEventListener("stop", () => resolve(), { once: true }));
  recorder.start(1000);

  return {
    startedAt,
    get bytes() {
      return meta.size;
    },
    get paused() {
      return pausedAt !== null;
    },
    get recordedMs() {
      return recorded();
    },
    pause() {
      if (recorder.state !== "recording") return;
      recorder.pause();
      pausedAt = Date.now();
      stopTimers(); // nothing to draw or mix while nothing is recorded
    },
    resume() {
      if (recorder.state !== "paused" || pausedAt === null) return;
      pausedMs += Date.now() - pausedAt;
      pausedAt = null;
      audio.sync();
      draw();
      drawTimer = setInterval(draw, 1000 / FPS);
      audioTimer = setInterval(() => audio.sync(), 1000);
      recorder.resume();
    },
    async stop() {
      if (recorder.state !== "inactive") recorder.stop();
      await stopped;
      stopTimers();
      videoTrack.stop();
      options.onStop?.();
      await audio.close();
      await writes;
      meta.durationMs = recorded();
      meta.complete = true;
      await saveMeta({ ...meta });
    },
  };
}
