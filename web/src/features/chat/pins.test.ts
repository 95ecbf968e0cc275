import { describe, expect, it } from "vitest";
import type { PeerLink } from "../../core/meeting/peer";
import { meeting } from "./chat.testing";
import { ChatLog, type ChatMessage } from "./chatLog";
import { ChatPin, pinView, type Pin } from "./pins";

const incoming = (uid: string, text: string, id: string, scope: "all" | "private" = "all") => ({ link: { uid } as PeerLink, message: { t: "chat" as const, id, text, scope } });
const pinFrom = (uid: string, ref: { uid: string; id: string }, text: string, at: number) => ({ link: { uid } as PeerLink, message: { t: "pin" as const, ref, text, at } });
const unpinFrom = (uid: string, at: number) => ({ link: { uid } as PeerLink, message: { t: "unpin" as const, at } });

/** A room where `hosts` run the meeting (we do when "me" is among them). */
function room(hosts: string[], ...uids: string[]) {
  const m = meeting(...uids);
  const chat = new ChatLog(m.meeting);
  const pins = new ChatPin(m.meeting, chat.messages, (uid) => hosts.includes(uid));
  const notices: string[] = [];
  pins.on("notice", (n) => notices.push(n));
  const last = (uid: string) => JSON.parse(m.sent.get(uid)!.at(-1) ?? "null");
  return { ...m, chat, pins, notices, last };
}

describe("pinView", () => {
  const pin: Pin = { ref: { uid: "bob", id: "b1" }, text: "as pinned", by: "alice", at: 5 };
  const message = (extra: Partial<ChatMessage>): ChatMessage => ({ id: "b1", fromUid: "bob", fromName: "Bob", text: "now", at: 1, private: false, mine: false, ...extra });

  it("shows the log's words when the log has the message, else the pin's, and nothing once deleted", () => {
    expect(pinView(null, [])).toBeNull();
    expect(pinView(pin, [])).toEqual({ ref: pin.ref, by: "alice", text: "as pinned", inLog: false });
    expect(pinView(pin, [message({ edited: true })])).toMatchObject({ text: "now", inLog: true });
    expect(pinView(pin, [message({ fromUid: "carol" })])).toMatchObject({ text: "as pinned", inLog: false });
    expect(pinView(pin, [message({ deleted: true, text: "" })])).toBeNull();
  });
});

describe("ChatPin", () => {
  it("pins a message to everyone for everyone, with its words and the server's time, and unpins it", () => {
    const { emitter, chat, pins, last, clock, notices } = room(["me"], "bob", "carol");
    emitter.emit("chat", incoming("bob", "Agenda: example.org/agenda", "b1"));
    const message = chat.messages.peek()[0];
    clock.at = 50_000;
    expect(pins.pin(message)).toBe(true);
    expect(last("carol")).toEqual({ t: "pin", uid: "bob", id: "b1", text: "Agenda: example.org/agenda", at: 50_000 });
    expect(pins.shown.value).toEqual({ ref: { uid: "bob", id: "b1" }, by: "me", text: "Agenda: example.org/agenda", inLog: true });
    expect(pins.isPinned(message)).toBe(true);
    expect(pins.unpin()).toBe(true);
    expect(last("bob")).toEqual({ t: "unpin", at: 50_001 }); // the clock stood still: still newer
    expect(pins.shown.value).toBeNull();
    expect(notices).toEqual(["You pinned a message: Agenda: example.org/agenda", "You unpinned the message"]);
  });

  it("pins nothing private or deleted, and nothing unless we run the meeting", () => {
    const host = room(["me"], "bob");
    host.emitter.emit("chat", incoming("bob", "psst", "b1", "private"));
    expect(host.pins.pin(host.chat.messages.peek()[0])).toBe(false);
    const guest = room(["alice"], "bob");
    guest.emitter.emit("chat", incoming("bob", "hello", "b2"));
    expect(guest.pins.pin(guest.chat.messages.peek()[0])).toBe(false);
    expect(guest.pins.unpin()).toBe(false);
    expect(guest.sent.get("bob")).toEqual([]);
  });

  it("takes a host's pin, the newest winning, and nobody else's", () => {
    const { emitter, pins, notices } = room(["alice", "dave"], "alice", "bob", "dave");
    emitter.emit("pin", pinFrom("bob", { uid: "bob", id: "b1" }, "Bob's own pin", 10));
    expect(pins.shown.value).toBeNull();
    emitter.emit("pin", pinFrom("alice", { uid: "bob", id: "b1" }, "Agenda", 20));
    expect(pins.shown.value).toEqual({ ref: { uid: "bob", id: "b1" }, by: "alice", text: "Agenda", inLog: false });
    emitter.emit("pin", pinFrom("dave", { uid: "bob", id: "b9" }, "older", 15));
    emitter.emit("pin", unpinFrom("dave", 20));
    expect(pins.shown.value?.text).toBe("Agenda");
    emitter.emit("pin", unpinFrom("dave", 21));
    expect(pins.shown.value).toBeNull();
    expect(notices).toEqual(["ALICE pinned a message: Agenda", "DAVE unpinned the message"]);
  });

  it("says a pin passed on to us on arrival is there, not that the host who passed it pinned it", () => {
    const { emitter, clock, notices } = room(["alice", "dave"], "alice", "dave");
    clock.at = 90_000; // we arrive: Dave, a co-host, passes on what Alice pinned before
    emitter.emit("chatOpen", { uid: "dave", send: () => true } as unknown as PeerLink);
    emitter.emit("pin", pinFrom("dave", { uid: "alice", id: "a1" }, "Agenda", 20_000));
    emitter.emit("pin", pinFrom("alice", { uid: "alice", id: "a2" }, "Slides", 95_000)); // pinned now
    expect(notices).toEqual(["A message is pinned: Agenda", "ALICE pinned a message: Slides"]);
  });

  it("tells a newcomer what is pinned, in its words now, only when we run the meeting", () => {
    const { emitter, chat, pins, sent } = room(["me"], "bob", "carol");
    emitter.emit("chat", incoming("bob", "Agenda v1", "b1"));
    pins.pin(chat.messages.peek()[0]);
    emitter.emit("chat", { link: { uid: "bob" } as PeerLink, message: { t: "edit", id: "b1", text: "Agenda v2" } });
    emitter.emit("chatOpen", { uid: "carol", send: (_: string, data: string) => sent.get("carol")!.push(data) > 0 } as unknown as PeerLink);
    expect(JSON.parse(sent.get("carol")!.at(-1)!)).toMatchObject({ t: "pin", uid: "bob", id: "b1", text: "Agenda v2" });
    const guest = room(["alice"], "carol");
    guest.emitter.emit("pin", pinFrom("alice", { uid: "bob", id: "b1" }, "Agenda", 20));
    guest.emitter.emit("chatOpen", { uid: "carol", send: () => { throw new Error("a participant passes no pin on"); } } as unknown as PeerLink);
  });

  it("takes the pin down for everyone when its sender deletes the message", () => {
    const { emitter, chat, pins, last } = room(["me"], "bob");
    emitter.emit("chat", incoming("bob", "oops", "b1"));
    pins.pin(chat.messages.peek()[0]);
    emitter.emit("chat", { link: { uid: "bob" } as PeerLink, message: { t: "unsend", id: "b1" } });
    expect(pins.shown.value).toBeNull();
    expect(last("bob")).toMatchObject({ t: "unpin" });
  });
});
