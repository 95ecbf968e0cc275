import { describe, expect, it } from "vitest";
import { blurRadius, coverCrop, isBackgroundChoice, keptSize, maskSize } from "./geometry";

describe("blurRadius", () => {
  it("grows with the picture, so that a small and a large picture look alike", () => {
    expect(blurRadius(1280)).toBe(32);
    expect(blurRadius(640)).toBe(16);
  });
  it("softens less when slight", () => {
    expect(blurRadius(1280, "slight")).toBe(11);
    expect(blurRadius(1280, "slight")).toBeLessThan(blurRadius(1280, "blur"));
  });
  it("is never too small to hide anything", () => {
    expect(blurRadius(40)).toBe(2);
    expect(blurRadius(0, "slight")).toBe(2);
  });
});

describe("maskSize", () => {
  it("hands the model 256 wide, the picture's shape kept", () => {
    expect(maskSize(1280, 720)).toEqual({ width: 256, height: 144 });
    expect(maskSize(640, 480)).toEqual({ width: 256, height: 192 });
  });
  it("bounds a portrait picture's height", () => {
    expect(maskSize(720, 1280)).toEqual({ width: 256, height: 256 });
  });
  it("takes a picture with no size yet as 16:9", () => {
    expect(maskSize(0, 0)).toEqual({ width: 256, height: 144 });
  });
});

describe("coverCrop", () => {
  it("keeps the middle of a picture wider than the frame", () => {
    expect(coverCrop(2000, 720, 1280, 720)).toEqual({ x: 360, y: 0, width: 1280, height: 720 });
  });
  it("keeps the middle of a picture taller than the frame", () => {
    expect(coverCrop(1000, 1000, 1600, 900)).toEqual({ x: 0, y: 218.75, width: 1000, height: 562.5 });
  });
  it("takes all of a picture of the frame's shape", () => {
    expect(coverCrop(640, 360, 1280, 720)).toEqual({ x: 0, y: 0, width: 640, height: 360 });
  });
});

describe("keptSize", () => {
  it("scales a large picture into 1280×720, its shape kept", () => {
    expect(keptSize(4000, 3000)).toEqual({ width: 960, height: 720 });
    expect(keptSize(3840, 1080)).toEqual({ width: 1280, height: 360 });
  });
  it("never enlarges", () => {
    expect(keptSize(320, 200)).toEqual({ width: 320, height: 200 });
  });
});

describe("isBackgroundChoice", () => {
  it("knows the four choices and nothing else", () => {
    expect(["none", "slight", "blur", "picture"].every(isBackgroundChoice)).toBe(true);
    expect(isBackgroundChoice("sepia")).toBe(false);
    expect(isBackgroundChoice(true)).toBe(false);
  });
});
