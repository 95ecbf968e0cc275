import { describe, expect, it } from "vitest";
import { chimeWav } from "./chime";

describe("chimeWav", () => {
  const wav = chimeWav(8000);
  const view = new DataView(wav.buffer);
  const ascii = (at: number, n: number) => String.fromCharCode(...wav.slice(at, at + n));
  const samples = Array.from({ length: view.getUint32(40, true) / 2 }, (_, i) => view.getInt16(44 + i * 2, true));

  it("is a 16-bit mono PCM WAVE file whose sizes add up", () => {
    expect([ascii(0, 4), ascii(8, 4), ascii(12, 4), ascii(36, 4)]).toEqual(["RIFF", "WAVE", "fmt ", "data"]);
    expect(view.getUint32(4, true)).toBe(wav.length - 8);
    expect([view.getUint16(20, true), view.getUint16(22, true), view.getUint32(24, true), view.getUint16(34, true)]).toEqual([1, 1, 8000, 16]);
    expect(wav.length).toBe(44 + samples.length * 2);
  });

  it("lasts the two notes, is heard and never clips", () => {
    expect(samples.length).toBe(Math.round(0.25 * 8000) + Math.round(0.4 * 8000));
    const peak = Math.max(...samples.map(Math.abs));
    expect(peak).toBeGreaterThan(0.3 * 32767);
    expect(peak).toBeLessThanOrEqual(0.5 * 32767);
  });

  it("starts and ends in silence (no click)", () => {
    expect(Math.abs(samples[0])).toBeLessThan(50);
    expect(Math.abs(samples[samples.length - 1])).toBeLessThan(50);
  });
});
