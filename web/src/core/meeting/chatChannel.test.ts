import { describe, expect, it } from "vitest";
import { BYE, encodeAsk, encodeChat, encodeEdit, encodeMedia, encodePin, encodeReaction, encodeUnpin, encodeUnsend, encodeWants, MAX_CHAT_LENGTH, parseChatChannel } from "./chatChannel";

describe("the chat channel", () => {
  it("reads plain text as chat to everyone (the aiortc peer)", () => {
    expect(parseChatChannel("beep boop")).toEqual({ t: "chat", id: null, text: "beep boop", scope: "all" });
    expect(parseChatChannel("{not json")).toEqual({ t: "chat", id: null, text: "{not json", scope: "all" });
    expect(parseChatChannel('{"no":"t"}')).toEqual({ t: "chat", id: null, text: '{"no":"t"}', scope: "all" });
  });

  it("round-trips its messages", () => {
    expect(parseChatChannel(encodeChat("a1", "hi", "private"))).toEqual({ t: "chat", id: "a1", text: "hi", scope: "private" });
    expect(encodeChat("a1", "hi", "all")).not.toContain("reply");
    const media = { audio: false, video: true, screen: true, recording: false };
    expect(parseChatChannel(encodeMedia(media))).toEqual({ t: "media", ...media, recordingPaused: false });
    // A paused recording goes as "paused": an older client reads it as not recording.
    const paused = encodeMedia({ ...media, recording: false, recordingPaused: true });
    expect(JSON.parse(paused).recording).toBe("paused");
    expect(parseChatChannel(paused)).toEqual({ t: "media", ...media, recording: false, recordingPaused: true });
    expect(parseChatChannel(BYE)).toEqual({ t: "bye" });
    expect(parseChatChannel(encodeUnsend("a1"))).toEqual({ t: "unsend", id: "a1" });
    expect(parseChatChannel('{"t":"unsend","id":""}')).toEqual({ t: "unknown" });
    expect(parseChatChannel('{"t":"unsend","id":7}')).toEqual({ t: "unknown" });
    expect(parseChatChannel(encodeEdit("a1", "fixed"))).toEqual({ t: "edit", id: "a1", text: "fixed" });
    expect(parseChatChannel('{"t":"edit","id":"a1"}')).toEqual({ t: "unknown" });
    expect(parseChatChannel('{"t":"edit","id":"","text":"x"}')).toEqual({ t: "unknown" });
    expect(parseChatChannel('{"t":"edit","id":"a1","text":["x"]}')).toEqual({ t: "unknown" });
    expect(parseChatChannel(encodeWants({ camera: "off", screen: "high" }))).toEqual({ t: "want", camera: "off", screen: "high" });
  });

  it("reads a want it cannot understand as a wish for little", () => {
    expect(parseChatChannel('{"t":"want","camera":"ultra"}')).toEqual({ t: "want", camera: "low", screen: "low" });
  });

  it("assumes sound and video on unless told off", () => {
    expect(parseChatChannel('{"t":"media"}')).toEqual({ t: "media", audio: true, video: true, screen: false, recording: false, recordingPaused: false });
  });

  it("reads a host's request, and nothing it does not know as one", () => {
    expect(parseChatChannel(encodeAsk("mute"))).toEqual({ t: "ask", what: "mute" });
    expect(parseChatChannel(encodeAsk("video-off"))).toEqual({ t: "ask", what: "video-off" });
    expect(parseChatChannel(encodeAsk("unmute"))).toEqual({ t: "ask", what: "unmute" });
    expect(parseChatChannel('{"t":"ask","what":"leave"}')).toEqual({ t: "unknown" });
  });

  it("ignores kinds it does not know", () => {
    expect(parseChatChannel('{"t":"reaction"}')).toEqual({ t: "unknown" });
  });
});

describe("a reply", () => {
  it("names the message it answers by its sender and id, never its text", () => {
    const wire = encodeChat("b2", "Yes!", "all", { uid: "alice", id: "a1" });
    expect(JSON.parse(wire)).toEqual({ t: "chat", id: "b2", text: "Yes!", scope: "all", reply: { uid: "alice", id: "a1" } });
    expect(parseChatChannel(wire)).toEqual({ t: "chat", id: "b2", text: "Yes!", scope: "all", reply: { uid: "alice", id: "a1" } });
  });
  it("is dropped, the message kept, when malformed", () => {
    for (const reply of [null, "a1", { uid: "alice" }, { uid: "", id: "a1" }, { uid: "alice", id: 7 }, { uid: "x".repeat(129), id: "a1" }]) {
      const parsed = parseChatChannel(JSON.stringify({ t: "chat", id: "b2", text: "Yes!", scope: "all", reply }));
      expect(parsed).toEqual({ t: "chat", id: "b2", text: "Yes!", scope: "all" });
      expect("reply" in parsed && parsed.reply !== undefined).toBe(false);
    }
  });
});

describe("a reaction", () => {
  it("names the message, the emoji and whether it is given or taken back", () => {
    const wire = encodeReaction({ uid: "alice", id: "a1" }, "👍", true);
    expect(JSON.parse(wire)).toEqual({ t: "reaction", uid: "alice", id: "a1", emoji: "👍", on: true });
    expect(parseChatChannel(wire)).toEqual({ t: "reaction", ref: { uid: "alice", id: "a1" }, emoji: "👍", on: true });
    expect(parseChatChannel(encodeReaction({ uid: "alice", id: "a1" }, "❤️", false))).toMatchObject({ emoji: "❤️", on: false });
  });
  it("is unknown without a message, or with no emoji or a long text for one", () => {
    for (const bad of [{ id: "a1", emoji: "👍" }, { uid: "alice", id: "a1" }, { uid: "alice", id: "a1", emoji: "x".repeat(17) }, { uid: "alice", id: "a1", emoji: 7 }]) {
      expect(parseChatChannel(JSON.stringify({ t: "reaction", on: true, ...bad }))).toEqual({ t: "unknown" });
    }
  });
});

describe("a pin", () => {
  it("names the message and carries its words and time; an unpin only its time", () => {
    const wire = encodePin({ uid: "bob", id: "b1" }, "Agenda: docs/agenda", 1_700_000_000_000);
    expect(JSON.parse(wire)).toEqual({ t: "pin", uid: "bob", id: "b1", text: "Agenda: docs/agenda", at: 1_700_000_000_000 });
    expect(parseChatChannel(wire)).toEqual({ t: "pin", ref: { uid: "bob", id: "b1" }, text: "Agenda: docs/agenda", at: 1_700_000_000_000 });
    expect(parseChatChannel(encodeUnpin(5))).toEqual({ t: "unpin", at: 5 });
    const long = parseChatChannel(encodePin({ uid: "bob", id: "b1" }, "x".repeat(MAX_CHAT_LENGTH + 10), 1));
    expect(long.t === "pin" && long.text.length).toBe(MAX_CHAT_LENGTH);
  });
  it("is unknown without a message, words or a time", () => {
    const good = { t: "pin", uid: "bob", id: "b1", text: "Hi", at: 1 };
    for (const bad of [{ uid: undefined }, { id: "" }, { text: "  " }, { text: 5 }, { at: "1" }, { at: -1 }, { at: null }]) {
      expect(parseChatChannel(JSON.stringify({ ...good, ...bad }))).toEqual({ t: "unknown" });
    }
    expect(parseChatChannel('{"t":"unpin"}')).toEqual({ t: "unknown" });
    expect(parseChatChannel('{"t":"unpin","at":1e999}')).toEqual({ t: "unknown" });
  });
});
