import { describe, expect, it } from "vitest";
import { linkNotice, presentingNotice, recordingNotice, rosterNotices } from "./noticeText";

describe("people notices", () => {
  it("say who joined and who left", () => {
    const before = new Map([["a", "Alice"], ["b", "Bob"]]);
    const after = new Map([["a", "Alice"], ["c", "Carol"]]);
    expect(rosterNotices(before, after)).toEqual(["Carol joined", "Bob left"]);
    expect(rosterNotices(after, after)).toEqual([]);
  });

  it("say a rename with both names", () => {
    expect(rosterNotices(new Map([["b", "Bob"]]), new Map([["b", "Robert"]]))).toEqual(["Bob is now Robert"]);
  });

  it("say when a connection is lost, back, failed or unstable; nothing when all is well", () => {
    const ok = { state: "connected" as const, problem: null };
    expect(linkNotice(undefined, ok, "Bob")).toBeNull();
    expect(linkNotice({ state: "connecting", problem: null }, ok, "Bob")).toBeNull();
    expect(linkNotice(ok, { state: "reconnecting", problem: null }, "Bob")).toBe("Connection to Bob lost, reconnecting…");
    expect(linkNotice({ state: "reconnecting", problem: null }, ok, "Bob")).toBe("Connected to Bob again");
    expect(linkNotice(ok, { state: "failed", problem: null }, "Bob")).toMatch(/^Could not reach Bob/);
    const shaky = { state: "connected" as const, problem: "long delay, speech may lag" };
    expect(linkNotice(ok, shaky, "Bob")).toBe("Connection with Bob: long delay, speech may lag");
    expect(linkNotice(shaky, shaky, "Bob")).toBeNull();
  });

  it("say who presents, by name", () => {
    expect(presentingNotice("Bob", true)).toBe("Bob is presenting");
    expect(presentingNotice("Bob", false)).toBe("Bob stopped presenting");
    expect(recordingNotice("Bob", "off", "on")).toBe("Bob is recording");
    expect(recordingNotice("Bob", "on", "paused")).toBe("Bob paused recording");
    expect(recordingNotice("Bob", "paused", "on")).toBe("Bob resumed recording");
    expect(recordingNotice("Bob", "paused", "off")).toBe("Bob stopped recording");
    expect(recordingNotice("Bob", "on", "off")).toBe("Bob stopped recording");
    expect(recordingNotice("Bob", "off", "paused")).toBe("Bob's recording is paused");
    expect(recordingNotice("Bob", "on", "on")).toBeNull();
  });
});
