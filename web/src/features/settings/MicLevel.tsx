/**
 * "Is my microphone working?": a level meter under the microphone's picker (the lobby, Devices),
 * measured here in the page on a clone of the track; empty while the microphone is off. The bar
 * moves without re-rendering; its value for assistive technology changes in steps of ten.
 */
import "./settings.css";
import { useEffect, useRef } from "preact/hooks";
import { meterPercent, meterStep } from "../../core/meeting/level";
import { LevelMeter } from "../../core/meeting/levelMeter";
import type { LocalMedia } from "../../core/meeting/media";

const SAMPLE_MS = 60;

export function MicLevel({ local }: { local: LocalMedia }) {
  const { audioTrack, micOn } = local.state.value;
  const meter = useRef<HTMLDivElement>(null);
  const listening = micOn && audioTrack !== null && audioTrack.readyState === "live";
  useEffect(() => {
    const el = meter.current;
    if (!el) return;
    let shown = 0;
    let said = -1;
    const show = (value: number) => {
      shown = value;
      el.style.setProperty("--level", `${value}%`);
      const step = Math.round(value / 10) * 10;
      if (step !== said) el.setAttribute("aria-valuenow", String((said = step)));
    };
    show(0);
    if (!listening || !audioTrack) return;
    let levels: LevelMeter;
    try {
      levels = new LevelMeter(audioTrack, SAMPLE_MS, (level) => show(meterStep(shown, meterPercent(level))));
    } catch (error) {
      console.debug("no microphone level here", error); // no Web Audio: the meter stays empty
      return;
    }
    return () => levels.stop();
  }, [audioTrack, listening]);
  return (
    <div
      ref={meter}
      class="mic-level"
      role="meter"
      aria-label={listening ? "Microphone level" : "Microphone level (microphone off)"}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={0}
    >
      <span class="mic-level-bar" />
    </div>
  );
}
