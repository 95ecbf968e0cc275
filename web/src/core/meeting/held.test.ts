import { describe, expect, it } from "vitest";
import { heldSlots, withheld } from "./held";

const ALL_ON = { audio: true, video: true, screen: true, recording: true };

describe("held", () => {
  it("disables the slots of what is held, the screen with its sound", () => {
    expect([...heldSlots(["present", "mic"])].sort()).toEqual(["mic", "screen", "screenAudio"]);
    expect(heldSlots(["chat"]).size).toBe(0);
    expect(heldSlots([]).size).toBe(0);
  });

  it("reads a media message without what is held, and never turns anything on", () => {
    expect(withheld(ALL_ON, [])).toBe(ALL_ON);
    expect(withheld(ALL_ON, ["camera"])).toEqual({ ...ALL_ON, video: false });
    expect(withheld(ALL_ON, ["mic", "present"])).toEqual({ audio: false, video: true, screen: false, recording: true });
    const off = { audio: false, video: false, screen: false, recording: false };
    expect(withheld(off, ["chat"])).toEqual(off);
  });
});
