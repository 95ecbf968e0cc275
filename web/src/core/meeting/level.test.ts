import { describe, expect, it } from "vitest";
import { meterPercent, meterStep, rms } from "./level";

describe("meterPercent", () => {
  it("shows silence as empty and loud speech as full", () => {
    expect(meterPercent(0)).toBe(0);
    expect(meterPercent(0.0005)).toBe(0); // below -60 dB
    expect(meterPercent(0.25)).toBe(100); // -12 dB
    expect(meterPercent(1)).toBe(100);
  });

  it("is even in decibels between", () => {
    expect(meterPercent(10 ** (-36 / 20))).toBe(50);
    expect(meterPercent(0.01)).toBe(42); // -40 dB
  });
});

describe("meterStep", () => {
  it("rises at once and falls slowly to what is measured", () => {
    expect(meterStep(10, 80)).toBe(80);
    expect(meterStep(80, 0)).toBe(60);
    expect(meterStep(60, 0)).toBe(45);
    expect(meterStep(60, 50)).toBe(50);
    expect(meterStep(1, 0)).toBe(0); // and reaches silence
  });
});

describe("rms", () => {
  it("of a full-scale square wave is 1, of nothing 0", () => {
    expect(rms([1, -1, 1, -1])).toBe(1);
    expect(rms([])).toBe(0);
  });
});
