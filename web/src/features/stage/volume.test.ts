import { describe, expect, it } from "vitest";
import { clampVolume, playbackVolume, volumePercent, volumeWords } from "./volume";

describe("clampVolume", () => {
  it("keeps levels between nothing and full, in steps of 5 %", () => {
    expect(clampVolume(0.42)).toBe(0.4);
    expect(clampVolume(0.43)).toBe(0.45);
    expect(clampVolume(-1)).toBe(0);
    expect(clampVolume(3)).toBe(1);
    expect(clampVolume(Number.NaN)).toBe(1);
    expect(volumePercent(0.35)).toBe(35);
  });
});

describe("playbackVolume", () => {
  it("is nothing while muted for us, whatever the level", () => {
    expect(playbackVolume(true, 0.6)).toBe(0);
    expect(playbackVolume(true, undefined)).toBe(0);
  });

  it("is the level chosen, full when none was", () => {
    expect(playbackVolume(false, 0.6)).toBe(0.6);
    expect(playbackVolume(false, undefined)).toBe(1);
  });
});

describe("volumeWords", () => {
  it("says a turned-down or muted person is so for us, and nothing at full volume", () => {
    expect(volumeWords(false, 0.4)).toBe("volume 40% for you");
    expect(volumeWords(true, 0.4)).toBe("muted for you");
    expect(volumeWords(false, 1)).toBe("");
    expect(volumeWords(false, undefined)).toBe("");
  });
});
