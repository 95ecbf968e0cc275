import { describe, expect, it } from "vitest";
import { onAnnounce } from "../announce";
import { audioOutput, checkOutput, chooseOutput, outputAfterChange } from "./audioOutput";

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
