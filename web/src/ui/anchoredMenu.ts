/**
 * A menu that opens beside its button over everything else: fixed to the window, so neither a
 * tile's clipping (`overflow: hidden`) nor a neighbouring area covers it, placed under the
 * button (above it when there is no room below) and kept inside the window.
 */
import { useLayoutEffect } from "preact/hooks";

type ElementRef = { readonly current: HTMLElement | null };

interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Where a menu of `size` goes for a button at `anchor` in a window of `view`. Pure. */
export function placeMenu(
  anchor: Rect,
  size: { width: number; height: number },
  view: { width: number; height: number },
  gap = 4,
  margin = 8,
): { left: number; top: number } {
  const left = Math.max(margin, Math.min(anchor.right - size.width, view.width - margin - size.width));
  const below = anchor.bottom + gap;
  const above = anchor.top - gap - size.height;
  const top = below + size.height > view.height - margin && above >= margin ? above : below;
  return { left, top: Math.max(margin, Math.min(top, view.height - margin - size.height)) };
}

/** While `open`, keep `menu` placed beside `anchor` (again whenever anything scrolls or resizes). */
export function useAnchoredMenu(open: boolean, anchor: ElementRef, menu: ElementRef): void {
  useLayoutEffect(() => {
    if (!open) return;
    const place = () => {
      const button = anchor.current;
      const list = menu.current;
      if (!button || !list) return;
      const box = list.getBoundingClientRect();
      const { left, top } = placeMenu(button.getBoundingClientRect(), box, { width: window.innerWidth, height: window.innerHeight });
      list.style.left = `${left}px`;
      list.style.top = `${top}px`;
    };
    place();
    window.addEventListener("resize", place);
    window.addEventListener("scroll", place, true);
    return () => {
      window.removeEventListener("resize", place);
      window.removeEventListener("scroll", place, true);
    };
  }, [open, anchor, menu]);
}
