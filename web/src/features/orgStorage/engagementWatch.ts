/** Feeds the engagement counter from the page (Page Visibility, window focus) and the local media. */
import type { LocalMedia } from "../../core/meeting/media";
import { EngagementCounter } from "./engagement";

export function watchEngagement(local: LocalMedia, now: () => number = () => performance.now()): { counter: EngagementCounter; stop: () => void } {
  const page = () => ({ visible: document.visibilityState === "visible", focused: document.hasFocus() });
  const counter = new EngagementCounter({ ...page(), camera: local.camOn, mic: local.micOn }, now());
  const onPage = () => counter.update(page(), now());
  const onMedia = () => counter.update({ camera: local.camOn, mic: local.micOn }, now());
  document.addEventListener("visibilitychange", onPage);
  window.addEventListener("focus", onPage);
  window.addEventListener("blur", onPage);
  const offMedia = local.on("change", onMedia);
  return {
    counter,
    stop() {
      counter.update({}, now());
      document.removeEventListener("visibilitychange", onPage);
      window.removeEventListener("focus", onPage);
      window.removeEventListener("blur", onPage);
      offMedia();
    },
  };
}
