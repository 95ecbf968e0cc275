import { describe, expect, it } from "vitest";
import type { IncomingChat } from "../../core/meeting/meeting";
import { meeting } from "./chat.testing";
import type { MessageRules } from "../hosts/permissions";
import { ChatLog } from "./chatLog";

const incoming = (uid: string, text: string, id: string | null = "m1", scope: "all" | "private" = "all") =>
  ({ link: { uid }, message: { t: "chat", id, text, scope } }) as unknown as IncomingChat;

describe("ChatLog", () => {
  it("sends to everyone, or privately on one channel only", () => {
    const { meeting: m, sent } = meeting("bob", "carol");
    const chat = new ChatLog(m);
    expect(chat.send("  hello  ", null)?.text).toBe("hello");
    expect(chat.send("psst", "bob")).toMatchObject({ private: true, toUid: "bob", mine: true });
    expect(sent.get("bob")!.map((d) => JSON.parse(d).scope)).toEqual(["all", "private"]);
    expect(sent.get("carol")!.map((d) => JSON.parse(d).text)).toEqual(["hello"]);
    expect(chat.send("   ", null)).toBeNull();
    expect(chat.messages.value.map((msg) => msg.text)).toEqual(["hello", "psst"]);
  });

  it("says so when a private message cannot go", () => {
    const { meeting: m } = meeting("gone");
    const chat = new ChatLog(m);
    const notices: string[] = [];
    chat.on("notice", (n) => notices.push(n));
    expect(chat.send("hi", "gone")).toBeNull();
    expect(notices).toEqual(["GONE is not connected; the message was not sent."]);
    expect(chat.messages.value).toEqual([]);
  });

  it("receives each message once, trimmed to the limit", () => {
    const { meeting: m, emitter } = meeting("bob");
    const chat = new ChatLog(m);
    emitter.emit("chat", incoming("bob", "hi"));
    emitter.emit("chat", incoming("bob", "hi"));
    emitter.emit("chat", incoming("bob", "   "));
    emitter.emit("chat", incoming("bob", "x".repeat(5000), "m2", "private"));
    emitter.emit("chat", incoming("bob", "no id", null));
    const messages = chat.messages.value;
    expect(messages.map((msg) => [msg.fromName, msg.text.length, msg.private])).toEqual([
      ["BOB", 2, false],
      ["BOB", 4000, true],
      ["BOB", 5, false],
    ]);
    expect(messages[1].toUid).toBe("me");
    expect(messages[2].id).toMatch(/^[0-9a-f]{18}$/);
  });

});

describe("ChatLog: deleting and editing one's messages", () => {
  it("deletes our message for everyone it went to, and another's only from its sender", () => {
    const { meeting: m, emitter, sent } = meeting("bob", "carol");
    const chat = new ChatLog(m);
    const unsent: string[] = [];
    chat.on("unsent", (msg) => unsent.push(msg.text));
    const all = chat.send("wrong meeting", null)!;
    const mine = chat.send("psst", "bob")!;
    expect(chat.unsend(all.id)).toBe(true);
    expect(chat.unsend(all.id)).toBe(false); // once
    expect(chat.unsend(mine.id)).toBe(true);
    expect(sent.get("bob")!.slice(2).map((d) => JSON.parse(d))).toEqual([{ t: "unsend", id: all.id }, { t: "unsend", id: mine.id }]);
    expect(sent.get("carol")!.slice(1).map((d) => JSON.parse(d))).toEqual([{ t: "unsend", id: all.id }]); // not the private one
    expect(unsent).toEqual(["wrong meeting", "psst"]);
    expect(chat.messages.value.map((msg) => [msg.text, msg.deleted])).toEqual([["", true], ["", true]]);

    emitter.emit("chat", incoming("bob", "bob's", "b1"));
    emitter.emit("chat", incoming("carol", "carol's", "b1"));
    const unsend = (uid: string, id: string) => ({ link: { uid }, message: { t: "unsend", id } }) as unknown as IncomingChat;
    emitter.emit("chat", unsend("carol", "b1")); // Carol deletes her own, not Bob's of the same id
    emitter.emit("chat", unsend("bob", all.id)); // nor anyone ours
    const texts = chat.messages.value.map((msg) => `${msg.fromUid}:${msg.text}`);
    expect(texts).toEqual(["me:", "me:", "bob:bob's", "carol:"]);
  });

  it("edits our message for everyone it went to, and another's only from its sender", () => {
    const { meeting: m, emitter, sent } = meeting("bob", "carol");
    const chat = new ChatLog(m);
    const edits: string[] = [];
    chat.on("edited", ({ before, after }) => edits.push(`${before.text} -> ${after.text}`));
    const all = chat.send("teh plan", null)!;
    const mine = chat.send("psst", "bob")!;
    expect(chat.edit(all.id, "  the plan ")).toBe(true);
    expect(chat.edit(all.id, "the plan")).toBe(false); // unchanged
    expect(chat.edit(all.id, "   ")).toBe(false);
    expect(chat.edit(mine.id, "psst!")).toBe(true);
    expect(sent.get("bob")!.slice(2).map((d) => JSON.parse(d))).toEqual([
      { t: "edit", id: all.id, text: "the plan" },
      { t: "edit", id: mine.id, text: "psst!" },
    ]);
    expect(sent.get("carol")!.slice(1).map((d) => JSON.parse(d))).toEqual([{ t: "edit", id: all.id, text: "the plan" }]);
    expect(edits).toEqual(["teh plan -> the plan", "psst -> psst!"]);
    expect(chat.messages.value.map((msg) => [msg.text, msg.edited])).toEqual([["the plan", true], ["psst!", true]]);
    chat.unsend(mine.id);
    expect(chat.edit(mine.id, "again")).toBe(false); // deleted

    emitter.emit("chat", incoming("bob", "bob's", "b1"));
    emitter.emit("chat", incoming("carol", "carol's", "b1"));
    const edit = (uid: string, id: string, text: string) => ({ link: { uid }, message: { t: "edit", id, text } }) as unknown as IncomingChat;
    emitter.emit("chat", edit("carol", "b1", " carol's, fixed ")); // Carol edits her own, not Bob's of the same id
    emitter.emit("chat", edit("bob", all.id, "forged")); // nor anyone ours
    emitter.emit("chat", edit("bob", "b1", "   ")); // nor to nothing
    emitter.emit("chat", edit("bob", "nope", "x"));
    const texts = chat.messages.value.map((msg) => `${msg.fromUid}:${msg.text}:${msg.edited ?? false}`);
    expect(texts).toEqual(["me:the plan:true", "me::true", "bob:bob's:false", "carol:carol's, fixed:true"]);
  });

  it("takes no edit the hosts' rules would not take as a message", () => {
    const { meeting: m, emitter } = meeting("bob");
    let open = true;
    const rules: MessageRules = { accepts: () => open, mayWrite: () => open };
    const chat = new ChatLog(m, rules);
    const notices: string[] = [];
    chat.on("notice", (n) => notices.push(n));
    const all = chat.send("hello", null)!;
    emitter.emit("chat", incoming("bob", "hi", "b1"));
    open = false; // a host turned the chat off
    expect(chat.edit(all.id, "hello there")).toBe(false);
    expect(notices).toHaveLength(1);
    emitter.emit("chat", { link: { uid: "bob" }, message: { t: "edit", id: "b1", text: "spam" } } as unknown as IncomingChat);
    expect(chat.messages.value.map((msg) => msg.text)).toEqual(["hello", "hi"]);
  });

  it("says so when an edit or a deletion cannot reach a private message's addressee", () => {
    const { meeting: m } = meeting("gone", "bob");
    const chat = new ChatLog(m);
    const notices: string[] = [];
    chat.on("notice", (n) => notices.push(n));
    const mine = chat.send("psst", "bob")!;
    m.links.delete("bob"); // Bob's connection went
    expect(chat.edit(mine.id, "psst!")).toBe(false);
    expect(chat.messages.value[0]).toMatchObject({ text: "psst" });
    expect(chat.unsend(mine.id)).toBe(true); // gone from our page all the same
    expect(chat.messages.value[0]).toMatchObject({ deleted: true });
    expect(notices).toEqual([
      "BOB is not connected; the edit was not sent.",
      "Deleted here, but BOB is not connected: the copy on BOB's page stays.",
    ]);
  });
});

describe("ChatLog: replies", () => {
  it("sends the answered message's sender and id with a reply, and keeps them", () => {
    const { meeting: m, emitter, sent } = meeting("bob");
    const chat = new ChatLog(m);
    emitter.emit("chat", { link: { uid: "bob" }, message: { t: "chat", id: "b1", text: "Noon?", scope: "all" } } as unknown as IncomingChat);
    const answer = chat.send("Yes", null, { uid: "bob", id: "b1" });
    expect(answer?.reply).toEqual({ uid: "bob", id: "b1" });
    expect(JSON.parse(sent.get("bob")![0])).toEqual({ t: "chat", id: answer?.id, text: "Yes", scope: "all", reply: { uid: "bob", id: "b1" } });
  });

  it("keeps the reference of a received reply, whatever it names", () => {
    const { meeting: m, emitter } = meeting("bob");
    const chat = new ChatLog(m);
    const message = { t: "chat", id: "b2", text: "Agreed", scope: "all", reply: { uid: "carol", id: "c9" } };
    emitter.emit("chat", { link: { uid: "bob" }, message } as unknown as IncomingChat);
    expect(chat.messages.value[0]).toMatchObject({ fromUid: "bob", text: "Agreed", reply: { uid: "carol", id: "c9" } });
  });
});

describe("ChatLog: reactions", () => {
  const chatFrom = (uid: string, id: string, scope: "all" | "private" = "all") =>
    ({ link: { uid }, message: { t: "chat", id, text: `${uid}'s`, scope } }) as unknown as IncomingChat;
  const reaction = (uid: string, ref: { uid: string; id: string }, emoji: string, on = true) =>
    ({ link: { uid }, message: { t: "reaction", ref, emoji, on } }) as unknown as IncomingChat;

  it("sends ours to those the message went to, and counts each person's once", () => {
    const { meeting: m, emitter, sent } = meeting("bob", "carol");
    const chat = new ChatLog(m);
    emitter.emit("chat", chatFrom("bob", "b1"));
    emitter.emit("chat", chatFrom("bob", "b2", "private"));
    expect(chat.react({ uid: "bob", id: "b1" }, "👍", true)).toBe(true);
    expect(chat.react({ uid: "bob", id: "b2" }, "❤️", true)).toBe(true); // privately: to Bob alone
    emitter.emit("chat", reaction("carol", { uid: "bob", id: "b1" }, "👍"));
    emitter.emit("chat", reaction("carol", { uid: "bob", id: "b1" }, "👍"));
    expect(sent.get("bob")!.map((d) => JSON.parse(d).emoji)).toEqual(["👍", "❤️"]);
    expect(sent.get("carol")!.map((d) => JSON.parse(d).emoji)).toEqual(["👍"]);
    const [first, second] = chat.messages.value;
    expect(first.reactions).toEqual([{ emoji: "👍", uids: ["me", "carol"] }]);
    expect(second.reactions).toEqual([{ emoji: "❤️", uids: ["me"] }]);
    expect(chat.react({ uid: "bob", id: "b1" }, "👍", false)).toBe(true);
    expect(chat.messages.value[0].reactions).toEqual([{ emoji: "👍", uids: ["carol"] }]);
  });

  it("takes no reaction to a private message but from its other party, none of another emoji, none to what is not here", () => {
    const { meeting: m, emitter } = meeting("bob", "carol");
    const chat = new ChatLog(m);
    emitter.emit("chat", chatFrom("bob", "b2", "private"));
    emitter.emit("chat", reaction("carol", { uid: "bob", id: "b2" }, "👍")); // Carol never got it
    emitter.emit("chat", reaction("bob", { uid: "bob", id: "b2" }, "💩")); // not one of the six
    emitter.emit("chat", reaction("bob", { uid: "bob", id: "zz" }, "👍"));
    expect(chat.messages.value[0].reactions).toBeUndefined();
    emitter.emit("chat", reaction("bob", { uid: "bob", id: "b2" }, "👍"));
    expect(chat.messages.value[0].reactions).toEqual([{ emoji: "👍", uids: ["bob"] }]);
  });

  it("holds reactions to the hosts' chat rules, as messages", () => {
    const { meeting: m, emitter } = meeting("bob", "carol");
    const rules: MessageRules = { mayWrite: () => false, accepts: (uid) => uid !== "carol" };
    const chat = new ChatLog(m, rules);
    const notices: string[] = [];
    chat.on("notice", (n) => notices.push(n));
    emitter.emit("chat", chatFrom("bob", "b1"));
    emitter.emit("chat", reaction("carol", { uid: "bob", id: "b1" }, "👍"));
    expect(chat.messages.value[0].reactions).toBeUndefined();
    expect(chat.react({ uid: "bob", id: "b1" }, "👍", true)).toBe(false);
    expect(notices).toHaveLength(1);
  });
});
