import { describe, expect, it } from "vitest";
import { levelBetween, SpeakerDetector } from "./speaker";

const levels = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe("SpeakerDetector", () => {
  it("makes the first one above the threshold the speaker, and highlights everyone speaking", () => {
    const d = new SpeakerDetector();
    expect(d.update(levels({ a: 0, b: 0.001 }), 0)).toEqual({ speaker: null, speaking: new Set() });
    const state = d.update(levels({ a: 0.2, b: 0.05 }), 250);
    expect(state.speaker).toBe("a");
    expect([...state.speaking].sort()).toEqual(["a", "b"]);
  });

  it("moves the stage only after someone else led for a while", () => {
    const d = new SpeakerDetector();
    d.update(levels({ a: 0.2, b: 0 }), 0);
    // b interrupts with one short loud word: a stays.
    expect(d.update(levels({ a: 0, b: 0.3 }), 250).speaker).toBe("a");
    expect(d.update(levels({ a: 0, b: 0 }), 500).speaker).toBe("a");
    // b talks on: after the switch delay it is the speaker.
    let t = 750;
    for (; t <= 2500; t += 250) d.update(levels({ a: 0, b: 0.3 }), t);
    expect(d.current.speaker).toBe("b");
  });

  it("keeps the last speaker through silence, and the highlight fades", () => {
    const d = new SpeakerDetector();
    d.update(levels({ a: 0.2, b: 0 }), 0);
    const later = d.update(levels({ a: 0, b: 0 }), 3000);
    expect(later.speaker).toBe("a");
    expect(later.speaking.size).toBe(0);
  });

  it("forgets a speaker who left", () => {
    const d = new SpeakerDetector();
    d.update(levels({ a: 0.2, b: 0 }), 0);
    expect(d.update(levels({ b: 0 }), 250).speaker).toBeNull();
  });
});

describe("levelBetween", () => {
  it("is the RMS of the interval", () => {
    expect(levelBetween({ energy: 1, duration: 10 }, { energy: 1.04, duration: 11 })).toBeCloseTo(0.2);
    expect(levelBetween(undefined, { energy: 1, duration: 1 })).toBe(0);
    expect(levelBetween({ energy: 1, duration: 1 }, { energy: 1, duration: 1 })).toBe(0);
  });
});
