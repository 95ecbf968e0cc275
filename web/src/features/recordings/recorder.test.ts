import { describe, expect, it } from "vitest";
import { recordedMs } from "./recorder";

describe("recordedMs", () => {
  it("leaves the pauses out of a recording's length", () => {
    expect(recordedMs(1000, 0, null, 6000)).toBe(5000);
    // Paused 2 s earlier and now paused again since 7000: the clock stands still.
    expect(recordedMs(1000, 2000, 7000, 9000)).toBe(4000);
    expect(recordedMs(1000, 2000, null, 9000)).toBe(6000);
    expect(recordedMs(1000, 0, 1000, 5000)).toBe(0);
  });
});
