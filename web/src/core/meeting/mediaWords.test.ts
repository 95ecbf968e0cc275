import { describe, expect, it } from "vitest";
import { describeMediaError, deviceLostNotice } from "./mediaWords";

describe("deviceLostNotice", () => {
  it("names what was lost and what is used now", () => {
    expect(deviceLostNotice("microphone", "USB mic", "Built-in microphone")).toBe("The microphone USB mic was disconnected: now using Built-in microphone.");
    expect(deviceLostNotice("camera", "", "")).toBe("The camera was disconnected: now using another camera.");
  });

  it("says when nothing could take its place, or the same device came back", () => {
    expect(deviceLostNotice("camera", "Webcam", null)).toBe("The camera Webcam was disconnected. No other camera was found.");
    expect(deviceLostNotice("microphone", "USB mic", "USB mic")).toBe("The microphone USB mic was disconnected and is back.");
  });
});

describe("describeMediaError", () => {
  it("says why a device could not be opened", () => {
    expect(describeMediaError(new DOMException("x", "NotAllowedError"), "camera")).toBe("Access to the camera was refused. Allow it in the browser's site settings.");
    expect(describeMediaError(new DOMException("x", "NotFoundError"), "microphone")).toBe("No microphone was found.");
    expect(describeMediaError(new Error("odd"), "camera")).toBe("The camera could not be opened (Error).");
    expect(describeMediaError(undefined, "camera")).toBe("The camera could not be opened.");
  });
});
