import { describe, expect, it } from "vitest";
import { JOIN_MUTED_FROM, joinMutedNotice } from "./crowd";

describe("joinMutedNotice", () => {
  it("mutes a newcomer from five people present, saying how many", () => {
    expect(joinMutedNotice(JOIN_MUTED_FROM)).toBe("Your microphone is off: 5 people are already in this meeting. Turn it on to speak.");
    expect(joinMutedNotice(12)).toContain("12 people");
  });

  it("leaves the microphone alone in a small meeting, or one whose size is not known", () => {
    expect(joinMutedNotice(4)).toBeNull();
    expect(joinMutedNotice(0)).toBeNull();
    expect(joinMutedNotice(null)).toBeNull();
    expect(joinMutedNotice(undefined)).toBeNull();
  });
});
