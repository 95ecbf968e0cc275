import { describe, expect, it } from "vitest";
import type { ArchiveMessage } from "../../protocol.gen";
import { batches, ChatArchiver, QUEUE_MAX } from "./chatArchive";

function harness(enabled: () => boolean, fail?: (call: number) => unknown) {
  const sent: ArchiveMessage[][] = [];
  const timers: (() => void)[] = [];
  const archiver = new ChatArchiver({
    enabled,
    send: async (messages) => {
      sent.push(messages);
      const error = fail?.(sent.length);
      if (error) throw error;
    },
    setTimer: (run) => timers.push(run),
    clearTimer: () => undefined,
  });
  const tick = async () => {
    for (const run of timers.splice(0)) run();
    await archiver.settled();
  };
  return { archiver, sent, timers, tick };
}

describe("ChatArchiver", () => {
  it("sends nothing at all when our organisation does not store our chat", async () => {
    const { archiver, sent, timers, tick } = harness(() => false);
    archiver.add("hello", 1);
    archiver.add("secret", 2, "bob");
    expect(archiver.pending).toBe(0);
    expect(timers).toHaveLength(0);
    await tick();
    await archiver.stop();
    expect(sent).toEqual([]);
  });

  it("batches our group and private messages on the timer, and the rest at leave", async () => {
    const { archiver, sent, timers, tick } = harness(() => true);
    archiver.add("hello", 1);
    archiver.add("to bob", 2, "bob");
    archiver.add("   ", 3);
    expect(timers).toHaveLength(1); // one timer for the batch, not one per message
    await tick();
    expect(sent).toEqual([[{ text: "hello", at: 1 }, { text: "to bob", at: 2, to: "bob" }]]);
    archiver.add("bye", 4);
    await archiver.stop();
    expect(sent[1]).toEqual([{ text: "bye", at: 4 }]);
    archiver.add("after", 5);
    await archiver.flush();
    expect(sent).toHaveLength(2);
  });

  it("takes back a message deleted before its batch went, and says when it had gone", async () => {
    const { archiver, sent, tick } = harness(() => true);
    archiver.add("hello", 1);
    archiver.add("oops", 2);
    expect(archiver.withdraw("oops", 2)).toBe(true);
    expect(archiver.withdraw("oops", 2)).toBe(false);
    await tick();
    expect(sent).toEqual([[{ text: "hello", at: 1 }]]);
    expect(archiver.withdraw("hello", 1)).toBe(false); // in the archive already
  });

  it("replaces the text of an edited message still waiting, and adds the edit of one sent", async () => {
    const { archiver, sent, tick } = harness(() => true);
    archiver.add("teh plan", 1);
    expect(archiver.edit({ text: "teh plan", at: 1 }, "the plan")).toBe(true);
    await tick();
    expect(sent).toEqual([[{ text: "the plan", at: 1 }]]);
    expect(archiver.edit({ text: "the plan", at: 1 }, "the new plan", "bob")).toBe(false);
    expect(archiver.withdraw("the new plan", 1)).toBe(true); // deleted after the edit: not archived
    expect(archiver.edit({ text: "the plan", at: 1 }, "the last plan")).toBe(false);
    await tick();
    expect(sent[1]).toEqual([{ text: "the last plan", at: 1 }]);
  });

  it("drops what is queued when the storing stops before the batch goes", async () => {
    let on = true;
    const { archiver, sent, tick } = harness(() => on);
    archiver.add("hello", 1);
    on = false;
    await tick();
    expect(sent).toEqual([]);
  });

  it("sends a batch again unchanged after a transient failure, drops it after a refusal", async () => {
    // Unchanged: the server knows a batch by its content, so if the failed attempt did store it
    // the repeat stores nothing twice; merged with newer messages it would be a new batch.
    const transient = harness(() => true, (n) => (n === 1 ? { code: "functions/unavailable" } : null));
    transient.archiver.add("a", 1);
    await transient.tick();
    transient.archiver.add("b", 2);
    expect(transient.archiver.pending).toBe(2);
    await transient.tick();
    expect(transient.sent).toEqual([[{ text: "a", at: 1 }], [{ text: "a", at: 1 }], [{ text: "b", at: 2 }]]);
    expect(transient.archiver.pending).toBe(0);

    const refused = harness(() => true, (n) => (n === 1 ? { code: "functions/failed-precondition" } : null));
    refused.archiver.add("a", 1);
    await refused.tick();
    refused.archiver.add("b", 2);
    await refused.tick();
    expect(refused.sent).toEqual([[{ text: "a", at: 1 }], [{ text: "b", at: 2 }]]);
  });

  it("keeps at most QUEUE_MAX messages while the archive cannot be reached, dropping whole old batches", async () => {
    const down = harness(() => true, () => ({ code: "functions/unavailable" }));
    for (let i = 0; i < QUEUE_MAX; i++) down.archiver.add(`m${i}`, i);
    await down.tick(); // fails: five batches of 1000 kept
    down.archiver.add("newest", QUEUE_MAX);
    expect(down.archiver.pending).toBe(QUEUE_MAX - 1000 + 1);
    down.sent.length = 0;
    await down.tick();
    expect(down.sent[0][0]).toEqual({ text: "m1000", at: 1000 }); // the oldest batch went whole
    expect(down.sent[0]).toHaveLength(1000);
  });

  it("splits batches by count and by bytes", () => {
    const msgs = Array.from({ length: 5 }, (_, i) => ({ text: "x".repeat(100), at: i }));
    expect(batches(msgs, 2).map((b) => b.length)).toEqual([2, 2, 1]);
    expect(batches(msgs, 1000, 400).map((b) => b.length)).toEqual([2, 2, 1]);
    expect(batches([])).toEqual([]);
  });
});
