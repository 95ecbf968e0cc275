import { describe, expect, it } from "vitest";
import { isReaction, reactionsLine, withReaction, type MessageReaction } from "./reactions";

describe("withReaction", () => {
  it("adds a reaction once per person, in the order given", () => {
    let r: readonly MessageReaction[] = [];
    r = withReaction(r, "bob", "👍", true);
    r = withReaction(r, "carol", "👍", true);
    r = withReaction(r, "bob", "👍", true);
    r = withReaction(r, "bob", "🎉", true);
    expect(r).toEqual([
      { emoji: "👍", uids: ["bob", "carol"] },
      { emoji: "🎉", uids: ["bob"] },
    ]);
  });
  it("takes a person's reaction back, the emoji going with its last person", () => {
    let r: readonly MessageReaction[] = [{ emoji: "👍", uids: ["bob", "carol"] }, { emoji: "🎉", uids: ["bob"] }];
    r = withReaction(r, "bob", "👍", false);
    r = withReaction(r, "bob", "🎉", false);
    expect(r).toEqual([{ emoji: "👍", uids: ["carol"] }]);
  });
  it("changes nothing for a reaction taken back that was never given", () => {
    const r: readonly MessageReaction[] = [{ emoji: "👍", uids: ["carol"] }];
    expect(withReaction(r, "bob", "👍", false)).toBe(r);
    expect(withReaction(r, "bob", "❤️", false)).toBe(r);
  });
});

describe("isReaction and reactionsLine", () => {
  it("take the stage's six emoji and nothing else", () => {
    expect(isReaction("👍")).toBe(true);
    expect(isReaction("❤️")).toBe(true);
    expect(isReaction("💩")).toBe(false);
    expect(isReaction("hello")).toBe(false);
  });
  it("write the counts in a line", () => {
    expect(reactionsLine([{ emoji: "👍", uids: ["a", "b"] }, { emoji: "❤️", uids: ["c"] }])).toBe("👍 2, ❤️ 1");
  });
});
