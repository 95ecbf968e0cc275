/**
 * While the microphone is off, listen to it here, in the browser, and say "you are muted" when
 * the person seems to be talking (detector.ts decides). It listens to a clone of the microphone's
 * track: the track the peers get stays disabled and silent. Nothing of it is sent or kept; the
 * microphone is open anyway while muted (a disabled track, so that unmuting is instant).
 */
import { effect } from "@preact/signals-core";
import { announce } from "../../core/announce";
import type { LocalMedia } from "../../core/meeting/media";
import { LevelMeter } from "../../core/meeting/levelMeter";
import { MutedSpeechDetector } from "./detector";

const SAMPLE_MS = 200;
const MUTED_HINT = "You are muted. Turn on the microphone (Ctrl+D), or hold Ctrl+Space while you talk.";

/** Start watching; returns the function that stops. */
export function startMutedSpeechHint(local: LocalMedia): () => void {
  const detector = new MutedSpeechDetector(SAMPLE_MS);
  let meter: { track: MediaStreamTrack; levels: LevelMeter } | null = null;
  const stopMeter = () => {
    meter?.levels.stop();
    meter = null;
    detector.reset();
  };
  const off = effect(() => {
    const { micOn } = local.state.value; // a new state with every change of the track, too
    const track = local.audioTrack;
    if (micOn || !track || track.readyState === "ended") return stopMeter();
    if (meter?.track === track) return;
    stopMeter();
    try {
      const levels = new LevelMeter(track, SAMPLE_MS, (level) => {
        if (detector.update(level, performance.now())) announce(MUTED_HINT);
      });
      meter = { track, levels };
    } catch (error) {
      console.debug("cannot listen for speech while muted", error); // no Web Audio: no hint
    }
  });
  return () => {
    off();
    stopMeter();
  };
}
