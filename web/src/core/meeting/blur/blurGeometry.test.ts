import { describe, expect, it } from "vitest";
import { blurRadius, maskSize } from "./blurGeometry";

describe("blurRadius", () => {
  it("grows with the picture, so that a small and a large picture look alike", () => {
    expect(blurRadius(1280)).toBe(32);
    expect(blurRadius(640)).toBe(16);
  });
  it("is never too small to hide anything", () => {
    expect(blurRadius(40)).toBe(2);
    expect(blurRadius(0)).toBe(2);
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
