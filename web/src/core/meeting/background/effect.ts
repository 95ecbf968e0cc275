/**
 * The background effects (the lobby's and Devices' "Background"): the camera's frames are read
 * (insertable streams), the person found in them (segmenter.ts, lazily loaded) and every frame
 * drawn again with everything but the person blurred, slightly or strongly, or replaced by a
 * picture of one's own (picture.ts), into a track of our own that the peers and our own tile get
 * instead of the camera's. All of it happens in this browser; the others receive only the result.
 *
 * The picture never waits for the segmentation: each frame is drawn with the newest mask there
 * is, while one segmentation at a time runs on the newest frame. Until the first mask (the model
 * loading) and if the model cannot load, the whole picture is blurred: what the person asked to
 * hide stays hidden.
 */
import { blurRadius, coverCrop, maskSize } from "./geometry";
import type { Segmenter } from "./segmenter";

/** What to put behind the person: the background blurred, or a picture (blurred until found). */
export type Backdrop = { kind: "blur"; strength: "slight" | "blur" } | { kind: "picture"; picture: Promise<ImageBitmap> };

// Chromium's insertable streams for raw media (not in TypeScript's DOM library).
interface TrackProcessor {
  readonly readable: ReadableStream<VideoFrame>;
}
interface TrackGenerator extends MediaStreamTrack {
  readonly writable: WritableStream<VideoFrame>;
}
interface InsertableStreams {
  MediaStreamTrackProcessor?: new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => TrackProcessor;
  MediaStreamTrackGenerator?: new (init: { kind: "video" }) => TrackGenerator;
}

/** Whether this browser can do it: frames in and out of a track, and canvases off screen. */
export function backgroundEffectsSupported(): boolean {
  const g = globalThis as InsertableStreams;
  return (
    typeof g.MediaStreamTrackProcessor === "function" &&
    typeof g.MediaStreamTrackGenerator === "function" &&
    typeof VideoFrame === "function" &&
    typeof OffscreenCanvas === "function"
  );
}

type Context = OffscreenCanvasRenderingContext2D;

function context(width: number, height: number): Context {
  const ctx = new OffscreenCanvas(width, height).getContext("2d");
  if (!ctx) throw new Error("no 2D canvas");
  return ctx;
}

function fit(ctx: Context, width: number, height: number): void {
  if (ctx.canvas.width !== width || ctx.canvas.height !== height) {
    ctx.canvas.width = width;
    ctx.canvas.height = height;
  }
}

export class BackgroundEffect {
  /** What to send and show instead of the camera. */
  readonly track: MediaStreamTrack;
  /** Our clone of the camera's track, the frames' source. */
  private readonly feed: MediaStreamTrack;
  private stopped = false;
  private segmenter: Segmenter | null = null;
  private segmenting = false;
  private hasMask = false;
  /** The picture to show, once decoded (kind "picture"). */
  private picture: ImageBitmap | null = null;
  private readonly out = context(2, 2);
  private readonly small = context(2, 2);
  private readonly person = context(2, 2);
  /** The newest mask, and the one a running segmentation draws into (then they swap). */
  private mask = context(2, 2);
  private nextMask = context(2, 2);
  /** The picture the segmentation looks at (an element canvas: what the package accepts). */
  private readonly input = document.createElement("canvas");

  /**
   * @param source the camera's track, read through a clone of its own: stop() leaves it running.
   * @param backdrop what to put behind the person.
   * @param load the segmenter, shared by the effects one after another (camera.ts): not ours to close.
   * @param onProblem told once if the person cannot be found (the picture stays wholly blurred)
   *   or the picture cannot be drawn (the background is blurred instead).
   * @param onFound told when the person is first found (the effect is as chosen from then on).
   */
  constructor(
    source: MediaStreamTrack,
    private readonly backdrop: Backdrop,
    load: () => Promise<Segmenter>,
    private readonly onProblem: (why: string) => void,
    private readonly onFound: () => void = () => undefined,
  ) {
    const g = globalThis as InsertableStreams;
    if (!g.MediaStreamTrackProcessor || !g.MediaStreamTrackGenerator) throw new Error("background effects are not supported here");
    this.feed = source.clone();
    const processor = new g.MediaStreamTrackProcessor({ track: this.feed, maxBufferSize: 1 });
    const generator = new g.MediaStreamTrackGenerator({ kind: "video" });
    this.track = generator;
    void this.pump(processor.readable.getReader(), generator.writable.getWriter());
    load().then(
      (segmenter) => {
        if (!this.stopped) this.segmenter = segmenter;
      },
      (error: unknown) => {
        if (this.stopped) return;
        console.warn("background effect: no segmenter", error);
        this.onProblem("Your background could not be told from you, so all of your picture is blurred.");
      },
    );
    if (backdrop.kind === "picture") {
      backdrop.picture.then(
        (picture) => {
          if (this.stopped) picture.close();
          else this.picture = picture;
        },
        () => {
          if (!this.stopped) this.onProblem("Your background picture could not be shown, so your background is blurred.");
        },
      );
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.feed.stop(); // ends the reader's stream, which ends the pump
    this.track.stop();
    this.segmenter = null;
    this.picture?.close();
    this.picture = null;
  }

  private async pump(reader: ReadableStreamDefaultReader<VideoFrame>, writer: WritableStreamDefaultWriter<VideoFrame>): Promise<void> {
    try {
      for (;;) {
        const { value: frame, done } = await reader.read();
        if (done) break;
        if (this.stopped) {
          frame.close();
          break;
        }
        let drawn: VideoFrame;
        try {
          drawn = this.draw(frame);
        } finally {
          frame.close();
        }
        try {
          await writer.write(drawn); // the generator closes the frames written to it
        } catch (error) {
          drawn.close(); // not written: the track was stopped meanwhile
          throw error;
        }
      }
    } catch {
      // The track was stopped while a frame was on its way: nothing to keep.
    } finally {
      void reader.cancel().catch(() => undefined);
      void writer.close().catch(() => undefined);
    }
  }

  private draw(frame: VideoFrame): VideoFrame {
    const width = frame.displayWidth;
    const height = frame.displayHeight;
    fit(this.out, width, height);
    this.segment(frame);
    if (this.picture && this.hasMask) {
      const crop = coverCrop(this.picture.width, this.picture.height, width, height);
      this.out.drawImage(this.picture, crop.x, crop.y, crop.width, crop.height, 0, 0, width, height);
    } else {
      // Blurred at a smaller size (cheaper, and smoother once scaled up): a quarter, a half if slight.
      const strength = this.backdrop.kind === "blur" ? this.backdrop.strength : "blur";
      const factor = strength === "slight" ? 2 : 4;
      fit(this.small, Math.max(1, Math.round(width / factor)), Math.max(1, Math.round(height / factor)));
      this.small.filter = `blur(${Math.max(1, Math.round(blurRadius(width, strength) / factor))}px)`;
      this.small.drawImage(frame, 0, 0, this.small.canvas.width, this.small.canvas.height);
      this.out.drawImage(this.small.canvas, 0, 0, width, height);
    }
    if (this.hasMask) {
      // The person, sharp: the mask's alpha (edges softened) keeps the frame's pixels in it.
      fit(this.person, width, height);
      this.person.globalCompositeOperation = "copy";
      this.person.filter = `blur(${Math.max(1, Math.round(width / 400))}px)`;
      this.person.drawImage(this.mask.canvas, 0, 0, width, height);
      this.person.filter = "none";
      this.person.globalCompositeOperation = "source-in";
      this.person.drawImage(frame, 0, 0, width, height);
      this.out.drawImage(this.person.canvas, 0, 0);
    }
    return new VideoFrame(this.out.canvas, { timestamp: frame.timestamp });
  }

  /** Starts finding the person in this frame, unless a search is running or nothing can search. */
  private segment(frame: VideoFrame): void {
    const segmenter = this.segmenter;
    if (!segmenter || this.segmenting) return;
    this.segmenting = true;
    const size = maskSize(frame.displayWidth, frame.displayHeight);
    this.input.width = size.width;
    this.input.height = size.height;
    this.input.getContext("2d")?.drawImage(frame, 0, 0, size.width, size.height);
    fit(this.nextMask, size.width, size.height);
    segmenter.segment(this.input, this.nextMask).then(
      () => {
        [this.mask, this.nextMask] = [this.nextMask, this.mask];
        this.segmenting = false;
        if (this.hasMask || this.stopped) return;
        this.hasMask = true;
        this.onFound();
      },
      (error: unknown) => {
        // A segmenter that failed (a lost WebGL context) is not asked again: all is blurred, and
        // the next effect loads a new one (onProblem lets camera.ts know).
        this.segmenting = false;
        if (this.stopped || this.segmenter !== segmenter) return;
        this.segmenter = null;
        this.hasMask = false;
        console.warn("background effect: segmentation failed", error);
        this.onProblem("Your background can no longer be told from you, so all of your picture is blurred.");
      },
    );
  }
}
