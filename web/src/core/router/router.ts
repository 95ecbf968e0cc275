/**
 * Client-side routing: the history, the view on screen and the internal links. Pages import
 * `navigate` from here; main.ts (which imports the pages) hands in the function that picks the
 * page for the current location, so no page imports main.ts and there is no import cycle.
 */

export interface View {
  /** Called before another view replaces this one (the room leaves the meeting). */
  destroy?(): void | Promise<void>;
}

/** Renders the page for `location` into `root`; `stale()` turns true once another render began. */
export type Resolver = (root: HTMLElement, stale: () => boolean) => Promise<View | null>;

let root: HTMLElement | null = null;
let resolve: Resolver | null = null;
let current: View | null = null;
let renderToken = 0;
const rendered = new Set<(pathname: string) => void>();

/** The view on screen (the emulator-only test hook reads the room's meeting from it). */
export function currentView(): View | null {
  return current;
}

export function navigate(path: string, replace = false): void {
  if (path !== location.pathname) {
    if (replace) history.replaceState(null, "", path);
    else history.pushState(null, "", path);
  }
  void render();
}

/** Call `listener` with the path each time a page is on screen; returns the unsubscribe. */
export function onRendered(listener: (pathname: string) => void): () => void {
  rendered.add(listener);
  return () => rendered.delete(listener);
}

/** Replace the view on screen with the one for the current location. */
export async function render(): Promise<void> {
  if (!root || !resolve) return;
  const token = ++renderToken;
  const previous = current;
  current = null;
  if (previous?.destroy) await previous.destroy();
  if (token !== renderToken) return;
  root.replaceChildren();
  root.setAttribute("aria-busy", "true");
  const view = await resolve(root, () => token !== renderToken);
  if (token !== renderToken) return;
  current = view;
  root.setAttribute("aria-busy", "false");
  for (const listener of rendered) listener(location.pathname);
}

/** Start routing into `element`: back/forward and internal links (<a data-link href="/...">). */
export function startRouter(element: HTMLElement, resolver: Resolver): void {
  root = element;
  resolve = resolver;
  window.addEventListener("popstate", () => void render());
  document.addEventListener("click", (event) => {
    const anchor = (event.target as Element | null)?.closest?.("a[data-link]") as HTMLAnchorElement | null;
    if (!anchor || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(new URL(anchor.href).pathname);
  });
}
