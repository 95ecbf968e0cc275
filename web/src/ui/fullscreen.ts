/** Full screen for the whole page (More, "Full screen"): whether it is, kept current, and the switch. */
import { signal } from "@preact/signals-core";

export const fullscreen = signal(typeof document !== "undefined" && !!document.fullscreenElement);

if (typeof document !== "undefined") {
  // Escape or the browser's own controls leave full screen too: follow the page, not our clicks.
  document.addEventListener("fullscreenchange", () => (fullscreen.value = !!document.fullscreenElement));
}

export function canFullscreen(): boolean {
  return typeof document !== "undefined" && document.fullscreenEnabled === true;
}

export function toggleFullscreen(): void {
  const done = document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen();
  done.catch((error: unknown) => console.debug("full screen refused", error));
}
