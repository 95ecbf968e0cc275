import { signal } from "@preact/signals-core";
import { describe, expect, it, vi } from "vitest";
import type { PeerLink } from "../../core/meeting/peer";
import { arrange, MAX_QUESTIONS_EACH, parseQaMessage, Questions, tidyQuestion, type Question } from "./qa";

describe("parseQaMessage", () => {
  it("reads the four messages, tidying the text", () => {
    expect(parseQaMessage(JSON.stringify({ t: "question", id: "q1", text: "  Why\n now? ", at: 5 }))).toEqual({ t: "question", id: "q1", text: "Why now?", at: 5 });
    expect(parseQaMessage('{"t":"withdraw","id":"q1"}')).toEqual({ t: "withdraw", id: "q1" });
    expect(parseQaMessage('{"t":"upvote","asker":"bob","id":"q1","up":false}')).toEqual({ t: "upvote", asker: "bob", id: "q1", up: false });
    expect(parseQaMessage('{"t":"mark","asker":"bob","id":"q1","state":"answered","at":7}')).toEqual({ t: "mark", asker: "bob", id: "q1", state: "answered", at: 7 });
  });

  it("refuses what the protocol does not allow", () => {
    for (const bad of [
      { t: "question", id: "q", text: " \n ", at: 1 },
      { t: "question", id: "q", text: 3, at: 1 },
      { t: "question", id: "q", text: "Why?", at: "now" },
      { t: "question", id: "", text: "Why?", at: 1 },
      { t: "question", id: "x".repeat(129), text: "Why?", at: 1 },
      { t: "upvote", asker: "", id: "q", up: true },
      { t: "upvote", asker: "bob", id: "q", up: 1 },
      { t: "mark", asker: "bob", id: "q", state: "deleted", at: 1 },
      { t: "mark", asker: "bob", id: "q", state: "hidden" },
      { t: "other", id: "q" },
    ]) {
      expect(parseQaMessage(JSON.stringify(bad)), JSON.stringify(bad)).toBeNull();
    }
    expect(parseQaMessage("[1]")).toBeNull();
    expect(parseQaMessage("not json")).toBeNull();
  });

  it("cuts a long question", () => {
    expect(tidyQuestion("a".repeat(400))).toHaveLength(300);
  });
});

describe("arrange", () => {
  const q = (key: string, votes: number, at: number, state: Question["state"], mine = false): Question => ({
    key, asker: "x", id: key, text: key, at, votes, mine, upvoted: false, state, gone: false,
  });

  it("puts the most upvoted open questions first, then the answered; the hidden for hosts and the asker", () => {
    const all = [q("a", 1, 1, "open"), q("b", 3, 2, "open"), q("c", 1, 0, "open"), q("d", 5, 0, "answered"), q("e", 0, 0, "hidden"), q("f", 0, 0, "hidden", true)];
    const host = arrange(all, true);
    expect(host.open.map((x) => x.key)).toEqual(["b", "c", "a"]);
    expect(host.answered.map((x) => x.key)).toEqual(["d"]);
    expect(host.hidden.map((x) => x.key)).toEqual(["e", "f"]);
    expect(arrange(all, false).hidden.map((x) => x.key)).toEqual(["f"]);
  });
});

/** A few people's Questions joined by fake links that deliver at once. */
function room(hosts: readonly string[], ...uids: string[]) {
  const qa = new Map<string, Questions>();
  const links = new Map<string, Map<string, PeerLink>>();
  const chatOff = new Set<string>();
  const server = { now: 1_796_000_000_000 }; // the meeting's clock: the server's, the same for all
  const clock = { now: () => server.now };
  for (const me of uids) {
    const mine = new Map<string, PeerLink>();
    links.set(me, mine);
    qa.set(me, new Questions({ myUid: me, links: mine, clock }, { asks: (uid) => !chatOff.has(uid), runs: (uid) => hosts.includes(uid), askingOff: signal(false) }));
  }
  const connect = (a: string, b: string) => {
    for (const [from, to] of [[a, b], [b, a]]) {
      const link = {
        uid: to,
        send: (_label: string, text: string) => {
          qa.get(to)!.message({ uid: from } as PeerLink, text);
          return true;
        },
      } as unknown as PeerLink;
      links.get(from)!.set(to, link);
    }
    qa.get(a)!.open(links.get(a)!.get(b)!);
    qa.get(b)!.open(links.get(b)!.get(a)!);
  };
  const leave = (who: string) => {
    for (const [me, mine] of links) {
      const link = mine.get(who);
      if (!link) continue;
      mine.delete(who);
      qa.get(me)!.closed(link);
    }
  };
  const qs = (uid: string) => qa.get(uid)!.questions.value;
  return { qa: (uid: string) => qa.get(uid)!, qs, connect, leave, chatOff, server };
}

describe("Questions", () => {
  it("lets anyone ask, everyone upvote once, and a host mark it answered", () => {
    const r = room(["alice"], "alice", "bob", "carol");
    r.connect("alice", "bob");
    r.connect("alice", "carol");
    r.connect("bob", "carol");
    const asked: Question[] = [];
    r.qa("alice").on("asked", (q) => asked.push(q));
    expect(r.qa("bob").ask("  ")).toBe("Write the question.");
    expect(r.qa("bob").ask("When is the release?")).toBeNull();
    expect(asked).toMatchObject([{ asker: "bob", text: "When is the release?", votes: 0 }]);
    const key = r.qs("bob")[0].key;
    r.qa("alice").upvote(key, true);
    r.qa("carol").upvote(key, true);
    r.qa("carol").upvote(key, true); // twice: still one vote
    r.qa("bob").upvote(key, true); // one's own: not a vote
    for (const uid of ["alice", "bob", "carol"]) expect(r.qs(uid)[0]).toMatchObject({ votes: 2, state: "open" });
    expect(r.qs("carol")[0].upvoted).toBe(true);
    expect(r.qs("bob")[0]).toMatchObject({ mine: true, upvoted: false });
    r.qa("carol").upvote(key, false);
    expect(r.qs("alice")[0].votes).toBe(1);
    const marked: Question[] = [];
    r.qa("bob").on("marked", (q) => marked.push(q));
    r.qa("alice").mark(key, "answered");
    for (const uid of ["alice", "bob", "carol"]) expect(r.qs(uid)[0].state).toBe("answered");
    expect(marked).toMatchObject([{ state: "answered" }]);
    r.qa("bob").withdraw(key);
    for (const uid of ["alice", "bob", "carol"]) expect(r.qs(uid)).toEqual([]);
  });

  it("takes the later of two hosts' marks by the meeting's clock, whatever a device's says", () => {
    const r = room(["alice", "carol"], "alice", "bob", "carol");
    r.connect("alice", "bob"); // Alice and Carol, both hosts, not connected: neither sees the other's mark
    r.connect("bob", "carol");
    r.qa("bob").ask("Can we see the demo?");
    const key = r.qs("bob")[0].key;
    r.qa("alice").mark(key, "hidden");
    r.server.now += 5_000;
    vi.useFakeTimers({ now: r.server.now - 2 * 3600_000 }); // Carol's device: two hours slow
    try {
      r.qa("carol").mark(key, "answered");
    } finally {
      vi.useRealTimers();
    }
    expect(r.qs("bob")[0].state).toBe("answered"); // Carol's, five seconds after Alice's
  });

  it("ignores forgeries: marks from a participant, a question from someone whose chat is off, a withdrawal for another", () => {
    const r = room(["alice"], "alice", "bob", "carol");
    r.connect("alice", "bob");
    r.connect("alice", "carol");
    r.connect("bob", "carol");
    r.qa("carol").ask("Can we record?");
    const key = r.qs("carol")[0].key;
    const id = r.qs("carol")[0].id;
    // Bob is no host: his mark is dropped everywhere.
    r.qa("alice").message({ uid: "bob" } as PeerLink, JSON.stringify({ t: "mark", asker: "carol", id, state: "hidden", at: Date.now() + 1e6 }));
    expect(r.qs("alice")[0].state).toBe("open");
    // Nor can Bob take Carol's question back: a withdrawal is about the sender's own.
    r.qa("alice").message({ uid: "bob" } as PeerLink, JSON.stringify({ t: "withdraw", id }));
    expect(r.qs("alice").map((q) => q.key)).toEqual([key]);
    // A host turned the chat off for Bob: his questions are not taken.
    r.chatOff.add("bob");
    r.qa("bob").ask("Still there?");
    expect(r.qs("alice").map((q) => q.asker)).toEqual(["carol"]);
    expect(r.qs("carol").map((q) => q.asker)).toEqual(["carol"]);
  });

  it("takes no more than the bound of questions from one peer", () => {
    const r = room([], "alice", "bob");
    r.connect("alice", "bob");
    for (let i = 0; i < MAX_QUESTIONS_EACH + 5; i++) {
      r.qa("alice").message({ uid: "bob" } as PeerLink, JSON.stringify({ t: "question", id: `q${i}`, text: `Q${i}`, at: i }));
    }
    expect(r.qs("alice")).toHaveLength(MAX_QUESTIONS_EACH);
    r.qa("bob").ask("fine?");
    expect(r.qa("bob").ask("one more")).toBeNull(); // Bob's own page counts only what Bob asked
  });

  it("gives a newcomer the questions, votes and marks of those present; one who leaves leaves theirs", () => {
    const r = room(["alice"], "alice", "bob", "carol", "dave");
    r.connect("alice", "bob");
    r.connect("alice", "carol");
    r.connect("bob", "carol");
    r.qa("bob").ask("First?");
    r.qa("carol").ask("Second?");
    const keyOf = (text: string) => r.qs("alice").find((q) => q.text === text)!.key;
    const [first, second] = [keyOf("First?"), keyOf("Second?")];
    r.qa("carol").upvote(first, true);
    r.qa("alice").upvote(first, true);
    r.qa("alice").mark(second, "hidden");
    r.connect("dave", "alice");
    r.connect("dave", "bob");
    r.connect("dave", "carol");
    const dave = new Map(r.qs("dave").map((q) => [q.key, q]));
    expect(dave.get(first)).toMatchObject({ votes: 2, state: "open", text: "First?" });
    expect(dave.get(second)).toMatchObject({ state: "hidden" });
    expect(arrange(r.qs("dave"), false).hidden).toEqual([]);
    r.leave("bob");
    expect(r.qs("dave").find((q) => q.key === first)).toMatchObject({ gone: true, votes: 2 });
  });
});
