import { describe, expect, it } from "vitest";
import { rms } from "../../core/meeting/level";
import { MutedSpeechDetector } from "./detector";

/** Feed `levels` one sample every 200 ms from `start`; the times at which it told. */
function run(detector: MutedSpeechDetector, levels: number[], start = 0): number[] {
  return levels.flatMap((level, i) => (detector.update(level, start + i * 200) ? [start + i * 200] : []));
}

describe("MutedSpeechDetector", () => {
  it("tells after more than a second of sound, once", () => {
    const detector = new MutedSpeechDetector(200);
    expect(run(detector, Array(20).fill(0.1))).toEqual([1000]);
  });

  it("ignores quiet, a cough and short beeps", () => {
    const detector = new MutedSpeechDetector(200);
    expect(run(detector, Array(50).fill(0.01))).toEqual([]);
    expect(run(detector, [0.3, 0.3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 10_000)).toEqual([]);
    const beeps = Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? 0.2 : 0));
    expect(run(detector, beeps, 20_000)).toEqual([]);
  });

  it("waits half a minute before telling again", () => {
    const detector = new MutedSpeechDetector(200);
    const told = run(detector, Array(200).fill(0.1));
    expect(told).toEqual([1000, 31_000]);
  });

  it("forgets what it heard when the microphone goes on", () => {
    const detector = new MutedSpeechDetector(200);
    expect(run(detector, [0.1, 0.1, 0.1, 0.1, 0.1])).toEqual([]);
    detector.reset();
    expect(detector.update(0.1, 1000)).toBe(false);
  });
});

describe("rms", () => {
  it("is the root mean square, 0 for nothing", () => {
    expect(rms([0.5, -0.5, 0.5, -0.5])).toBeCloseTo(0.5);
    expect(rms([])).toBe(0);
  });
});
