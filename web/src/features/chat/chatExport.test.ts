import { describe, expect, it } from "vitest";
import { chatFileName, chatText } from "./chatExport";
import type { ChatMessage } from "./chatLog";

const message = (more: Partial<ChatMessage>): ChatMessage => ({ id: "1", fromUid: "b", fromName: "Bob", text: "Hi", at: 0, private: false, mine: false, ...more });

describe("chatText", () => {
  const names = { of: (uid: string) => ({ c: "Carol" })[uid] ?? "Guest", clock: (at: number) => `t${at}` };

  it("writes who, when and to whom, a message a line", () => {
    const text = chatText(
      [
        message({ text: "Hi all" }),
        message({ id: "2", fromUid: "a", fromName: "Alice", mine: true, private: true, toUid: "c", text: "psst", at: 1 }),
        message({ id: "3", fromUid: "c", fromName: "Carol", private: true, text: "two\nlines", at: 2 }),
      ],
      { title: "Stand-up", meetingId: "abc-defg-hij" },
      names,
    );
    expect(text).toBe(
      [
        'Chat of the meeting "Stand-up" (abc-defg-hij), as this browser received it.',
        "",
        "[t0] Bob: Hi all",
        "[t1] You → Carol (private): psst",
        "[t2] Carol → you (private): two",
        "  lines",
        "",
      ].join("\n"),
    );
  });

  it("keeps no word of a deleted message", () => {
    const text = chatText([message({ text: "", deleted: true })], { title: null, meetingId: "abc-defg-hij" }, names);
    expect(text.split("\n")[2]).toBe("[t0] Bob: (message deleted)");
  });

  it("says a message was edited, after its last line", () => {
    const text = chatText([message({ text: "two\nlines", edited: true })], { title: null, meetingId: "abc" }, names);
    expect(text.split("\n").slice(2, 4)).toEqual(["[t0] Bob: two", "  lines (edited)"]);
  });

  it("quotes what a reply answers under it, as this browser has it", () => {
    const text = chatText(
      [
        message({ text: "Noon on Friday?" }),
        message({ id: "2", fromUid: "a", fromName: "Alice", mine: true, text: "Yes", reply: { uid: "b", id: "1" } }),
        message({ id: "3", fromUid: "c", fromName: "Carol", text: "Me too", reply: { uid: "a", id: "2" } }),
        message({ id: "4", fromUid: "c", fromName: "Carol", text: "And that?", reply: { uid: "x", id: "9" } }),
        message({ id: "5", fromUid: "b", text: "", deleted: true, reply: { uid: "a", id: "2" } }),
      ],
      { title: null, meetingId: "abc-defg-hij" },
      names,
    );
    expect(text.split("\n").slice(2, -1)).toEqual([
      "[t0] Bob: Noon on Friday?",
      "[t0] You: Yes",
      '  (in reply to Guest: "Noon on Friday?")',
      "[t0] Carol: Me too",
      '  (in reply to you: "Yes")',
      "[t0] Carol: And that?",
      "  (in reply to a message this browser did not get)",
      "[t0] Bob: (message deleted)",
    ]);
  });

  it("counts a message's reactions under it", () => {
    const text = chatText([message({ text: "Done!", reactions: [{ emoji: "🎉", uids: ["a", "c"] }, { emoji: "👍", uids: ["c"] }] })], { title: null, meetingId: "x" }, names);
    expect(text.split("\n").slice(2, 4)).toEqual(["[t0] Bob: Done!", "  (reactions: 🎉 2, 👍 1)"]);
  });

  it("writes the pinned message first, its lines indented", () => {
    const pinned = { ref: { uid: "b", id: "1" }, by: "c", text: "Agenda\n1. Polls", inLog: false };
    const text = chatText([message({ text: "Hi" })], { title: null, meetingId: "x" }, { ...names, of: (uid) => ({ b: "Bob", c: "Carol" })[uid] ?? "?" }, pinned);
    expect(text.split("\n").slice(2, 6)).toEqual(["Pinned by Carol (Bob wrote): Agenda", "  1. Polls", "", "[t0] Bob: Hi"]);
  });

  it("names an untitled meeting by its id", () => {
    expect(chatText([], { title: null, meetingId: "abc" }, names)).toBe("Chat of the meeting abc, as this browser received it.\n\n");
  });

  it("names the file by the meeting and the time", () => {
    expect(chatFileName("abc-defg-hij", new Date(Date.UTC(2026, 11, 6, 9, 5, 7)))).toBe("avmeets-chat-abc-defg-hij-2026-12-06-09-05-07.txt");
  });
});
