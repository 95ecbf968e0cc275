import { describe, expect, it } from "vitest";
import { audioConstraints } from "./mediaPrefs";

describe("audioConstraints", () => {
  it("keeps the browser's voice processing for speech and drops all of it for original sound", () => {
    expect(audioConstraints(false)).toEqual({ echoCancellation: true, noiseSuppression: true, autoGainControl: true });
    expect(audioConstraints(true)).toEqual({ echoCancellation: false, noiseSuppression: false, autoGainControl: false });
  });
});
