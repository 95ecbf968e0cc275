import { describe, expect, it } from "vitest";
import { permissionsOf } from "../../core/meeting/held";
import type { HostPermission } from "../../protocol.gen";
import { heldFor, heldNotices, messageAccepted, permitLabel, PERMISSIONS, turnedOffNotice } from "./permissions";

const participant = { role: "participant" as const };
const host = { role: "host" as const };
const cohost = { role: "cohost" as const };

describe("permissions", () => {
  it("reads a stored list in one order, ignoring what it does not know", () => {
    expect(permissionsOf(["chat", "mic", "dance", 3])).toEqual(["mic", "chat"]);
    expect(permissionsOf(["whiteboard", "reactions", "files", "present"])).toEqual(["present", "files", "reactions", "whiteboard"]);
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
    expect(messageAccepted("chat", participant, "participant", [], "all")).toBe(true);
    expect(messageAccepted("chat", participant, "participant", ["chat"], "all")).toBe(false);
    expect(messageAccepted("chat", participant, "participant", ["chat"], "private")).toBe(false);
    expect(messageAccepted("chat", participant, "host", ["chat"], "all")).toBe(false);
    expect(messageAccepted("chat", participant, "cohost", ["chat"], "private")).toBe(true);
    expect(messageAccepted("chat", cohost, "participant", ["chat"], "all")).toBe(true);
    expect(messageAccepted("chat", { ...participant, permitted: ["chat"] }, "participant", ["chat"], "all")).toBe(true);
    expect(messageAccepted("chat", participant, "participant", ["mic"], "all")).toBe(true);
  });

  it("holds files apart from the chat, by the same rule", () => {
    expect(messageAccepted("files", participant, "participant", ["chat"], "all")).toBe(true);
    expect(messageAccepted("files", participant, "participant", ["files"], "all")).toBe(false);
    expect(messageAccepted("files", participant, "host", ["files"], "all")).toBe(false);
    expect(messageAccepted("files", participant, "host", ["files"], "private")).toBe(true);
    expect(messageAccepted("chat", participant, "participant", ["files"], "all")).toBe(true);
  });

  it("says what changed, off and on", () => {
    const held = (...what: HostPermission[]) => ({ held: what, permitted: [] });
    expect(heldNotices(held(), held("chat", "mic"))).toEqual([PERMISSIONS.mic.off, PERMISSIONS.chat.off]);
    expect(heldNotices(held("mic"), held("camera"))).toEqual([PERMISSIONS.mic.on, PERMISSIONS.camera.off]);
    expect(heldNotices(held("mic"), held("mic"))).toEqual([]);
  });

  it("tells someone a host let them alone, or no longer, in words of their own", () => {
    const off = { held: ["mic", "present"] as HostPermission[], permitted: [] };
    const floor = { held: ["present"] as HostPermission[], permitted: ["mic"] as HostPermission[] };
    expect(heldNotices(off, floor)).toEqual(["A host lets you turn on your microphone."]);
    expect(heldNotices(floor, off)).toEqual(["A host no longer lets you turn on your microphone."]);
    // Made a participant again with the microphone off for participants: the general words.
    expect(heldNotices({ held: [], permitted: [] }, { held: ["mic"], permitted: [] })).toEqual([PERMISSIONS.mic.off]);
    // Allowed for everyone while permitted: nothing changes for them.
    expect(heldNotices(floor, { held: ["present"], permitted: ["mic"] })).toEqual([]);
  });

  it("tells the lobby what would be off, in the switches' order", () => {
    expect(turnedOffNotice([])).toBeNull();
    expect(turnedOffNotice(["mic"])).toBe("A host turned microphones off for participants in this meeting.");
    expect(turnedOffNotice(["whiteboard", "chat", "mic"])).toBe("A host turned microphones, the chat and drawing on the whiteboard off for participants in this meeting.");
  });

  it("names letting one person do it all the same", () => {
    expect(permitLabel("mic", "Bob", false)).toBe("Let Bob turn on their microphone");
    expect(permitLabel("present", "Bob", true)).toBe("Stop letting Bob share their screen");
  });
});
