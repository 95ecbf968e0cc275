import { describe, expect, it } from "vitest";
import { LIMITS } from "../../protocol.gen";
import { EngagementCounter } from "./engagement";

describe("EngagementCounter", () => {
  it("counts each figure only while it holds", () => {
    const counter = new EngagementCounter({ visible: true, focused: true, camera: false, mic: true }, 1_000);
    counter.update({ camera: true }, 3_000); // 2 s visible, focused, mic
    counter.update({ focused: false }, 4_000); // +1 s of all four
    counter.update({ visible: false }, 6_000); // +2 s visible, camera, mic
    counter.update({ mic: false, focused: true }, 7_000); // +1 s camera, mic (focused but hidden: not counted)
    expect(counter.read(8_000)).toEqual({ visibleMs: 5_000, focusedMs: 3_000, cameraOnMs: 5_000, micOnMs: 6_000 });
  });

  it("never counts backwards, rounds, and stays within the protocol's bound", () => {
    const counter = new EngagementCounter({ visible: true, focused: false, camera: false, mic: false }, 100);
    counter.update({ visible: true }, 50);
    expect(counter.read(100.6).visibleMs).toBe(1);
    expect(counter.read(100 + LIMITS.engagementMaxMs * 2).visibleMs).toBe(LIMITS.engagementMaxMs);
  });
});
