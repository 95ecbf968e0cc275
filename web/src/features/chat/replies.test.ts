import { describe, expect, it } from "vitest";
import { excerpt, messageAnchor, quoteOf, type QuotedMessage } from "./replies";

const log: QuotedMessage[] = [
  { id: "a1", fromUid: "alice", text: "Shall we meet at noon\non Friday?", mine: false },
  { id: "a1", fromUid: "bob", text: "Same id, another sender", mine: true },
  { id: "a2", fromUid: "alice", text: "", mine: false, deleted: true },
];

describe("quoteOf", () => {
  it("quotes the message of that sender with that id, on one line", () => {
    expect(quoteOf(log, { uid: "alice", id: "a1" })).toEqual({ state: "shown", fromUid: "alice", mine: false, excerpt: "Shall we meet at noon on Friday?" });
    expect(quoteOf(log, { uid: "bob", id: "a1" })).toEqual({ state: "shown", fromUid: "bob", mine: true, excerpt: "Same id, another sender" });
  });
  it("says a deleted message was deleted, not what it said", () => {
    expect(quoteOf(log, { uid: "alice", id: "a2" })).toEqual({ state: "deleted", fromUid: "alice", mine: false });
  });
  it("says a message this page never got is unseen, and nothing of it", () => {
    expect(quoteOf(log, { uid: "carol", id: "a1" })).toEqual({ state: "unseen" });
    expect(quoteOf(log, { uid: "alice", id: "zz" })).toEqual({ state: "unseen" });
  });
});

describe("excerpt", () => {
  it("keeps a short text whole, its white space collapsed", () => {
    expect(excerpt("  Noon\n\n  on   Friday ")).toBe("Noon on Friday");
  });
  it("cuts a long text at a word, with an ellipsis, within the length", () => {
    const text = "word ".repeat(40);
    const cut = excerpt(text, 30);
    expect(cut.length).toBeLessThanOrEqual(30);
    expect(cut).toBe("word word word word word word…");
  });
  it("cuts a text with no spaces where it must", () => {
    expect(excerpt("x".repeat(100), 10)).toBe(`${"x".repeat(9)}…`);
  });
});

describe("messageAnchor", () => {
  it("is a safe element id, one per sender and id", () => {
    expect(messageAnchor({ uid: "al ice/1", id: "a1" })).toBe("chat-al_ice_1-a1");
    expect(messageAnchor({ uid: "bob", id: "a1" })).not.toBe(messageAnchor({ uid: "alice", id: "a1" }));
  });
});
