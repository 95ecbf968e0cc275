/**
 * What LocalMedia does to the camera's picture: the saved choice (none, slightly blurred,
 * blurred, one's own picture), the kept picture, and the effect that draws it (effect.ts).
 */
import { signal } from "@preact/signals-core";
import { BackgroundEffect, backgroundEffectsSupported, type Backdrop } from "./effect";
import type { BackgroundChoice } from "./geometry";
import { forgetPicture, keepPicture, keptPicture, PictureError, pictureBitmap } from "./picture";
import type { Segmenter } from "./segmenter";

export class CameraBackground {
  readonly choice = signal<BackgroundChoice>("none");
  /** The kept picture (a data URL), if any. */
  readonly picture = signal<string | null>(keptPicture());
  readonly supported = backgroundEffectsSupported();
  /** "preparing": an effect is on but the person not found yet (the model loading: the picture
   * is wholly blurred meanwhile); "ready": found; "idle": no effect, or it failed (said). */
  readonly status = signal<"idle" | "preparing" | "ready">("idle");
  /** One segmenter for the effects one after another: a change of effect does not load the model
   * again (the picture would be wholly blurred meanwhile). A large download: fetched the first
   * time someone uses an effect. */
  private segmenter: Promise<Segmenter> | null = null;

  constructor(choice: BackgroundChoice) {
    // A picture chosen on a device since cleared (or storage off) is no choice.
    this.choice.value = choice === "picture" && !this.picture.peek() ? "none" : choice;
  }

  /** The effect to send instead of `source` for the current choice; null: the camera as it is
   * (or no camera). */
  effect(source: MediaStreamTrack | null, onProblem: (why: string) => void): BackgroundEffect | null {
    const choice = this.choice.peek();
    const url = this.picture.peek();
    if (!source || choice === "none" || !this.supported) {
      this.status.value = "idle";
      return null;
    }
    const backdrop: Backdrop =
      choice === "picture" && url ? { kind: "picture", picture: pictureBitmap(url) } : { kind: "blur", strength: choice === "slight" ? "slight" : "blur" };
    const problem = (why: string) => {
      this.release(); // the next effect tries a new segmenter
      this.status.value = "idle";
      onProblem(why);
    };
    this.status.value = "preparing";
    const found = () => (this.status.value = "ready");
    return new BackgroundEffect(source, backdrop, () => this.loadSegmenter(), problem, found);
  }

  private loadSegmenter(): Promise<Segmenter> {
    this.segmenter ??= import("./segmenter").then(({ createSegmenter }) => createSegmenter());
    return this.segmenter;
  }

  /** Closes the segmenter (its WebGL context): when leaving, or after it failed. */
  release(): void {
    const segmenter = this.segmenter;
    this.segmenter = null;
    void segmenter?.then((s) => s.close()).catch(() => undefined);
  }

  /** Reads and keeps `file`; what went wrong, in words for the person, or null. */
  async keep(file: Blob): Promise<string | null> {
    try {
      this.picture.value = await keepPicture(file);
      return null;
    } catch (error) {
      return error instanceof PictureError ? error.message : "That picture could not be kept.";
    }
  }

  /** Forgets the kept picture; true if it was the choice (which then becomes none). */
  forget(): boolean {
    forgetPicture();
    this.picture.value = null;
    return this.choice.peek() === "picture";
  }
}
