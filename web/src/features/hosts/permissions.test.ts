import { describe, expect, it } from "vitest";
import { chatAccepted, heldFor, heldNotices, PERMISSIONS, restrictedOf } from "./permissions";

describe("permissions", () => {
  it("reads the meeting's restricted field in one order, ignoring what it does not know", () => {
    expect(restrictedOf(["chat", "mic", "dance", 3])).toEqual(["mic", "chat"]);
    expect(restrictedOf(undefined)).toEqual([]);
    expect(restrictedOf("mic")).toEqual([]);
  });

  it("holds participants to it, never the host or co-hosts", () => {
    expect(heldFor("participant", ["mic", "present"])).toEqual(["mic", "present"]);
    expect(heldFor(undefined, ["camera"])).toEqual(["camera"]);
    expect(heldFor("host", ["mic"])).toEqual([]);
    expect(heldFor("cohost", ["mic"])).toEqual([]);
  });

  it("drops a restricted participant's chat, but lets private messages reach those running the meeting", () => {
    expect(chatAccepted("participant", "participant", [], "all")).toBe(true);
    expect(chatAccepted("participant", "participant", ["chat"], "all")).toBe(false);
    expect(chatAccepted("participant", "participant", ["chat"], "private")).toBe(false);
    expect(chatAccepted("participant", "host", ["chat"], "all")).toBe(false);
    expect(chatAccepted("participant", "cohost", ["chat"], "private")).toBe(true);
    expect(chatAccepted("cohost", "participant", ["chat"], "all")).toBe(true);
    expect(chatAccepted("participant", "participant", ["mic"], "all")).toBe(true);
  });

  it("says what changed, off and on", () => {
    expect(heldNotices([], ["chat", "mic"])).toEqual([PERMISSIONS.mic.off, PERMISSIONS.chat.off]);
    expect(heldNotices(["mic"], ["camera"])).toEqual([PERMISSIONS.mic.on, PERMISSIONS.camera.off]);
    expect(heldNotices(["mic"], ["mic"])).toEqual([]);
  });
});
