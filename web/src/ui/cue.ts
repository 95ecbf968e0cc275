/**
 * A short sound for what needs the person even in another tab or window (someone asks to join),
 * on the speakers chosen. One element, made on first use; a browser that refuses to play (no
 * gesture yet) stays silent: the toast and the tab's title still say it.
 */
import { audioOutput, routeTo } from "../core/meeting/audioOutput";
import { chimeUrl } from "./chime";

let element: HTMLAudioElement | null = null;

export function playCue(): void {
  if (typeof Audio !== "function") return;
  if (!element) {
    element = new Audio(chimeUrl());
    element.dataset.cue = "knock";
  }
  const el = element;
  el.currentTime = 0;
  void routeTo(el, audioOutput.peek())
    .then(() => el.play())
    .catch(() => undefined);
}
