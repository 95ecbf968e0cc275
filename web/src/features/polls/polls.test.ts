import { describe, expect, it } from "vitest";
import type { PeerLink } from "../../core/meeting/peer";
import { parsePollMessage, percent, pollProblem, Polls, tally } from "./polls";

describe("parsePollMessage", () => {
  it("reads the three messages, tidying the text", () => {
    expect(parsePollMessage(JSON.stringify({ t: "poll", id: "p1", question: "  Lunch\n where? ", options: ["Here", " There "], at: 5 }))).toEqual({
      t: "poll", id: "p1", question: "Lunch where?", options: ["Here", "There"], at: 5,
    });
    expect(parsePollMessage('{"t":"vote","id":"p1","choice":1}')).toEqual({ t: "vote", id: "p1", choice: 1 });
    expect(parsePollMessage('{"t":"results","id":"p1","counts":[2,0],"voters":2}')).toEqual({ t: "results", id: "p1", counts: [2, 0], voters: 2 });
  });

  it("refuses what the protocol does not allow", () => {
    const poll = { t: "poll", id: "p1", question: "Q", options: ["a", "b"], at: 1 };
    for (const bad of [
      { ...poll, options: ["only one"] },
      { ...poll, options: Array.from({ length: 11 }, (_, i) => `o${i}`) },
      { ...poll, options: ["a", "  "] },
      { ...poll, options: ["a", 2] },
      { ...poll, question: " " },
      { ...poll, id: "" },
      { ...poll, id: "x".repeat(65) },
      { ...poll, at: "soon" },
      { t: "vote", id: "p1", choice: -1 },
      { t: "vote", id: "p1", choice: 1.5 },
      { t: "results", id: "p1", counts: [1, -1], voters: 1 },
      { t: "results", id: "p1", counts: [1], voters: "1" },
      { t: "other", id: "p1" },
    ]) {
      expect(parsePollMessage(JSON.stringify(bad)), JSON.stringify(bad)).toBeNull();
    }
    expect(parsePollMessage("[1]")).toBeNull();
    expect(parsePollMessage("not json")).toBeNull();
  });

  it("cuts long text", () => {
    const parsed = parsePollMessage(JSON.stringify({ t: "poll", id: "p", question: "q".repeat(500), options: ["a".repeat(200), "b"], at: 1 }));
    expect(parsed?.t === "poll" && [parsed.question.length, parsed.options[0].length]).toEqual([200, 80]);
  });
});

describe("pollProblem, tally and percent", () => {
  it("asks for a question and two different answers", () => {
    expect(pollProblem(" ", ["a", "b"])).toBe("Write the question.");
    expect(pollProblem("Q", ["a", " "])).toBe("Give at least 2 answers.");
    expect(pollProblem("Q", ["Yes", "yes "])).toBe("Two answers are the same.");
    expect(pollProblem("Q", ["Yes", "", "No"])).toBeNull();
  });

  it("counts each person's answer once", () => {
    expect(tally(new Map([["a", 0], ["b", 2], ["c", 0]]), 3)).toEqual([2, 0, 1]);
    expect(tally(new Map(), 2)).toEqual([0, 0]);
    expect([percent(1, 3), percent(2, 3), percent(0, 0)]).toEqual([33, 67, 0]);
  });
});

/** Two or three people's Polls joined by fake links that deliver at once. */
function room(hosts: readonly string[], ...uids: string[]) {
  const polls = new Map<string, Polls>();
  const links = new Map<string, Map<string, PeerLink>>();
  for (const me of uids) {
    const mine = new Map<string, PeerLink>();
    links.set(me, mine);
    polls.set(me, new Polls({ myUid: me, links: mine, clock: { now: () => Date.now() } }, (uid) => hosts.includes(uid)));
  }
  const connect = (a: string, b: string) => {
    for (const [from, to] of [[a, b], [b, a]]) {
      const link = {
        uid: to,
        send: (_label: string, text: string) => {
          polls.get(to)!.message({ uid: from } as PeerLink, text);
          return true;
        },
      } as unknown as PeerLink;
      links.get(from)!.set(to, link);
    }
    polls.get(a)!.open(links.get(a)!.get(b)!);
    polls.get(b)!.open(links.get(b)!.get(a)!);
  };
  const leave = (who: string) => {
    for (const [me, mine] of links) {
      const link = mine.get(who);
      if (!link) continue;
      mine.delete(who);
      polls.get(me)!.closed(link);
    }
  };
  return { polls: (uid: string) => polls.get(uid)!, connect, leave };
}

describe("Polls", () => {
  it("lets a host ask, everyone vote to the host only, and shares the counts at the end", () => {
    const r = room(["alice"], "alice", "bob", "carol");
    r.connect("alice", "bob");
    r.connect("alice", "carol");
    r.connect("bob", "carol");
    const alice = r.polls("alice");
    alice.ask("Lunch?", ["Pizza", " ", "Salad"]);
    expect(r.polls("bob").current.value).toMatchObject({ by: "alice", question: "Lunch?", options: ["Pizza", "Salad"], state: "open", counts: null });
    expect(r.polls("bob").vote(1)).toBe(true);
    expect(r.polls("carol").vote(0)).toBe(true);
    expect(r.polls("carol").vote(1)).toBe(true); // changed her mind: the last counts
    expect(alice.vote(0)).toBe(true);
    expect(alice.current.value).toMatchObject({ counts: [1, 2], voters: 3 });
    // Voters see no counts before the end.
    expect(r.polls("bob").current.value?.counts).toBeNull();
    alice.end();
    for (const uid of ["alice", "bob", "carol"]) {
      expect(r.polls(uid).current.value).toMatchObject({ state: "ended", counts: [1, 2], voters: 3 });
    }
    expect(r.polls("bob").current.value?.mine).toBe(1);
  });

  it("ignores a poll from someone who does not run the meeting, and results or votes out of place", () => {
    const r = room(["alice"], "alice", "bob", "carol");
    r.connect("alice", "bob");
    r.connect("bob", "carol");
    r.polls("bob").ask("Mine?", ["a", "b"]);
    expect(r.polls("alice").current.value).toBeNull();
    expect(r.polls("carol").current.value).toBeNull();
    r.polls("alice").ask("Real?", ["yes", "no"]);
    // Bob's own (ignored) poll is replaced by the host's; a vote for a poll Bob did not ask is dropped.
    r.polls("bob").message({ uid: "carol" } as PeerLink, JSON.stringify({ t: "vote", id: r.polls("bob").current.value!.id, choice: 0 }));
    r.polls("bob").message({ uid: "carol" } as PeerLink, JSON.stringify({ t: "results", id: r.polls("bob").current.value!.id, counts: [9, 9], voters: 18 }));
    expect(r.polls("bob").current.value).toMatchObject({ by: "alice", state: "open", counts: null });
    // A vote for an answer that does not exist is not counted.
    r.polls("alice").message({ uid: "bob" } as PeerLink, JSON.stringify({ t: "vote", id: r.polls("alice").current.value!.id, choice: 5 }));
    expect(r.polls("alice").current.value?.voters).toBe(0);
  });

  it("gives a newcomer the open poll, and the asker's leaving takes it", () => {
    const r = room(["alice"], "alice", "bob", "dave");
    r.connect("alice", "bob");
    r.polls("alice").ask("Q", ["a", "b"]);
    r.connect("alice", "dave");
    r.connect("bob", "dave");
    expect(r.polls("dave").current.value).toMatchObject({ question: "Q", state: "open" });
    r.leave("alice");
    expect(r.polls("dave").current.value?.state).toBe("gone");
    expect(r.polls("bob").vote(0)).toBe(false);
  });
});
