/** Sizes for the background effects (effect.ts): pure, so that they can be tested. */

/** What can be done to the background, as saved in the media preferences. */
export type BackgroundChoice = "none" | "slight" | "blur" | "picture";
export const BACKGROUND_CHOICES: readonly BackgroundChoice[] = ["none", "slight", "blur", "picture"];

export function isBackgroundChoice(value: unknown): value is BackgroundChoice {
  return typeof value === "string" && (BACKGROUND_CHOICES as readonly string[]).includes(value);
}

/**
 * How strongly the background is blurred, in pixels of a picture this wide: "blur" hides it
 * (Meet-like), "slight" softens it. A picture background is blurred as "blur" until the person
 * is found, so that nothing shows before.
 */
export function blurRadius(width: number, strength: "slight" | "blur" = "blur"): number {
  return Math.max(2, Math.round(width / (strength === "slight" ? 120 : 40)));
}

/** The model looks at 256×144 (16:9); a picture is scaled to 256 wide, its shape kept. */
const MODEL_WIDTH = 256;
const MAX_MASK_HEIGHT = 256;

/** The size to hand the segmentation for a picture of this size. */
export function maskSize(width: number, height: number): { width: number; height: number } {
  if (width <= 0 || height <= 0) return { width: MODEL_WIDTH, height: 144 };
  const scaled = Math.round((MODEL_WIDTH * height) / width);
  return { width: MODEL_WIDTH, height: Math.min(MAX_MASK_HEIGHT, Math.max(1, scaled)) };
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The part of a picture (`width`×`height`) that covers a frame of `frameWidth`×`frameHeight`
 * without stretching: all of one side, the middle of the other. */
export function coverCrop(width: number, height: number, frameWidth: number, frameHeight: number): Rect {
  if (width <= 0 || height <= 0 || frameWidth <= 0 || frameHeight <= 0) return { x: 0, y: 0, width, height };
  const scale = Math.max(frameWidth / width, frameHeight / height);
  const w = frameWidth / scale;
  const h = frameHeight / scale;
  return { x: (width - w) / 2, y: (height - h) / 2, width: w, height: h };
}

/** The size a chosen picture is kept at: within 1280×720, its shape kept, never enlarged. */
export function keptSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, 1280 / Math.max(1, width), 720 / Math.max(1, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
