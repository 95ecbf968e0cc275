/** Sizes for the background blur (backgroundBlur.ts): pure, so that they can be tested. */

/** How strongly the background is blurred, in pixels of a picture this wide (Meet-like: strong). */
export function blurRadius(width: number): number {
  return Math.max(2, Math.round(width / 40));
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
