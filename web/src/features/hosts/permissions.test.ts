import { describe, expect, it } from "vitest";
import { permissionsOf } from "../../core/meeting/held";
import { chatAccepted, heldFor, heldNotices, permitLabel, PERMISSIONS } from "./permissions";

const participant = { role: "participant" as const };
const host = { role: "host" as const };
const cohost = { role: "cohost" as const };

describe("permissions", () => {
  it("reads a stored list in one order, ignoring what it does not know", () => {
    expect(permissionsOf(["chat", "mic", "dance", 3])).toEqual(["mic", "chat"]);
    expect(permissionsOf(undefined)).toEqual([]);
    expect(permissionsOf("mic")).toEqual([]);
  });

  it("holds participants to it, never the host or co-hosts, nor what a host let them do", () => {
    expect(heldFor(participant, ["mic", "present"])).toEqual(["mic", "present"]);
    expect(heldFor(undefined, ["camera"])).toEqual(["camera"]);
    expect(heldFor(host, ["mic"])).toEqual([]);
    expect(heldFor(cohost, ["mic"])).toEqual([]);
    expect(heldFor({ ...participant, permitted: ["mic"] }, ["mic", "present"])).toEqual(["present"]);
  });

  it("drops a restricted participant's chat, but lets private messages reach those running the meeting", () => {
    expect(chatAccepted(participant, "participant", [], "all")).toBe(true);
    expect(chatAccepted(participant, "participant", ["chat"], "all")).toBe(false);
    expect(chatAccepted(participant, "participant", ["chat"], "private")).toBe(false);
    expect(chatAccepted(participant, "host", ["chat"], "all")).toBe(false);
    expect(chatAccepted(participant, "cohost", ["chat"], "private")).toBe(true);
    expect(chatAccepted(cohost, "participant", ["chat"], "all")).toBe(true);
    expect(chatAccepted({ ...participant, permitted: ["chat"] }, "participant", ["chat"], "all")).toBe(true);
    expect(chatAccepted(participant, "participant", ["mic"], "all")).toBe(true);
  });

  it("says what changed, off and on", () => {
    expect(heldNotices([], ["chat", "mic"])).toEqual([PERMISSIONS.mic.off, PERMISSIONS.chat.off]);
    expect(heldNotices(["mic"], ["camera"])).toEqual([PERMISSIONS.mic.on, PERMISSIONS.camera.off]);
    expect(heldNotices(["mic"], ["mic"])).toEqual([]);
  });

  it("names letting one person do it all the same", () => {
    expect(permitLabel("mic", "Bob", false)).toBe("Let Bob turn on their microphone");
    expect(permitLabel("present", "Bob", true)).toBe("Stop letting Bob share their screen");
  });
});
