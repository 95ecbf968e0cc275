import { describe, expect, it } from "vitest";
import { onAnnounce } from "../announce";
import { audioOutput, checkOutput, chooseOutput, outputAfterChange } from "./audioOutput";
import { deviceLostNotice } from "./media";

const device = (kind: string, deviceId: string, label = "") => ({ kind, deviceId, label, groupId: "", toJSON: () => ({}) }) as MediaDeviceInfo;

describe("outputAfterChange", () => {
  it("keeps the default", () => {
    expect(outputAfterChange("", [])).toBe("");
  });

  it("keeps the choice while its device is there, an output of that id only", () => {
    expect(outputAfterChange("a", [device("audiooutput", "a")])).toBe("a");
    expect(outputAfterChange("a", [device("audioinput", "a")])).toBe("");
    expect(outputAfterChange("a", [device("audiooutput", "b")])).toBe("");
  });
});

describe("checkOutput", () => {
  it("falls back to the default while the chosen speakers are away, and takes them again when back", () => {
    const said: string[] = [];
    const off = onAnnounce(({ text }) => said.push(text));
    try {
      chooseOutput("usb");
      checkOutput([device("audiooutput", "default", "Default"), device("audiooutput", "usb", "USB headset")]);
      expect(audioOutput.value).toBe("usb");
      expect(said).toEqual([]);
      checkOutput([device("audiooutput", "default", "Default")]);
      expect(audioOutput.value).toBe("");
      checkOutput([device("audiooutput", "default", "Default")]);
      checkOutput([device("audiooutput", "default", "Default"), device("audiooutput", "usb", "USB headset")]);
      expect(audioOutput.value).toBe("usb");
      expect(said).toEqual(["The speakers you chose are not connected: playing on the system's default", "Playing on USB headset again"]);
    } finally {
      off();
      chooseOutput("");
    }
  });
});

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
