/** The grid's tile size. Pure. */

export const TILE_GAP = 12;
export const MIN_TILE_WIDTH = 120;

/** The largest 16:9 tile width with which `n` tiles fit a `width`×`height` stage; null when unmeasured. */
export function bestTileWidth(n: number, width: number, height: number, gap = TILE_GAP): number | null {
  if (!width || !height) return null;
  const count = Math.max(1, n);
  let best = 0;
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    const w = Math.min((width - gap * (cols - 1)) / cols, ((height - gap * (rows - 1)) / rows) * (16 / 9));
    if (w > best) best = w;
  }
  return Math.floor(Math.max(MIN_TILE_WIDTH, best));
}
