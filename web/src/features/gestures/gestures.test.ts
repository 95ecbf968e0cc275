import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PeerLink } from "../../core/meeting/peer";
import { Gestures, parseGesture, REACTION_MS } from "./gestures";

class FakeLink {
  sent: string[] = [];
  constructor(readonly uid: string) {}
  send(_label: string, data: string): boolean {
    this.sent.push(data);
    return true;
  }
}

/** A meeting where `hosts` run the meeting (their word counts for spotlights and hands). */
function room(hosts: readonly string[] = ["host"]) {
  const bob = new FakeLink("bob");
  const links = new Map([["bob", bob]]);
  const gestures = new Gestures({ myUid: "me", links, clock: { now: () => Date.now() } }, (uid) => hosts.includes(uid));
  const asLink = (link: FakeLink) => link as unknown as PeerLink;
  return { bob, links, gestures, asLink };
}

describe("parseGesture", () => {
  it("reads the three gestures and nothing else", () => {
    expect(parseGesture('{"t":"hand","up":true}')).toEqual({ t: "hand", up: true });
    expect(parseGesture('{"t":"react","emoji":"🎉"}')).toEqual({ t: "react", emoji: "🎉" });
    expect(parseGesture('{"t":"spotlight","uid":"u1","at":5}')).toEqual({ t: "spotlight", uid: "u1", at: 5 });
    expect(parseGesture('{"t":"spotlight","uid":null,"at":6}')).toEqual({ t: "spotlight", uid: null, at: 6 });
    expect(parseGesture('{"t":"lower-hands"}')).toEqual({ t: "lower-hands" });
    for (const bad of ['{"t":"react","emoji":"<b>spam</b>"}', '{"t":"hand","up":"yes"}', '{"t":"spotlight","uid":""}', "[1]", "not json", "null"]) {
      expect(parseGesture(bad)).toBeNull();
    }
  });
});

describe("Gestures", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("raises and lowers hands, ours told to everyone, theirs until they go", () => {
    const { bob, links, gestures, asLink } = room();
    const heard: string[] = [];
    gestures.on("hand", ({ uid, up }) => heard.push(`${uid} ${up ? "up" : "down"}`));
    gestures.raiseHand(true);
    expect(bob.sent).toEqual(['{"t":"hand","up":true}']);
    gestures.message(asLink(bob), '{"t":"hand","up":true}');
    expect([...gestures.hands.value.keys()]).toEqual(["me", "bob"]);
    links.delete("bob");
    gestures.closed(asLink(bob));
    expect([...gestures.hands.value.keys()]).toEqual(["me"]);
    expect(heard).toEqual(["me up", "bob up"]);
  });

  it("lowers our hand when a host says so, and only a host", () => {
    const { bob, links, gestures, asLink } = room();
    const host = new FakeLink("host");
    links.set("host", host);
    const lowered: string[] = [];
    gestures.on("handLowered", ({ by }) => lowered.push(by));
    gestures.raiseHand(true);
    gestures.message(asLink(bob), '{"t":"lower-hands"}'); // not a host: ignored
    expect(gestures.handUp).toBe(true);
    gestures.message(asLink(host), '{"t":"lower-hands"}');
    expect(gestures.handUp).toBe(false);
    expect(host.sent.at(-1)).toBe('{"t":"hand","up":false}'); // everyone hears it is down
    gestures.message(asLink(host), '{"t":"lower-hands"}'); // down already: nothing to say
    expect(lowered).toEqual(["host"]);
    // A host lowering all: its own hand too, and the request to everyone.
    gestures.raiseHand(true);
    gestures.lowerAllHands();
    expect(gestures.handUp).toBe(false);
    expect(bob.sent.slice(-2)).toEqual(['{"t":"hand","up":false}', '{"t":"lower-hands"}']);
  });

  it("tells a newcomer our raised hand and, as a host, the spotlight", () => {
    const { gestures } = room(["me"]);
    gestures.raiseHand(true);
    gestures.setSpotlight("bob");
    const carol = new FakeLink("carol");
    gestures.open(carol as unknown as PeerLink);
    expect(carol.sent.map((m) => JSON.parse(m) as { t: string })).toMatchObject([{ t: "hand", up: true }, { t: "spotlight", uid: "bob" }]);
    // We are no host: our hand only, not the spotlight a host set (the hosts tell it).
    const guest = room(["host"]);
    guest.gestures.raiseHand(true);
    guest.gestures.message(guest.asLink(new FakeLink("host")), JSON.stringify({ t: "spotlight", uid: "bob", at: 5 }));
    expect(guest.gestures.spotlight.value?.uid).toBe("bob");
    const dave = new FakeLink("dave");
    guest.gestures.open(dave as unknown as PeerLink);
    expect(dave.sent).toEqual(['{"t":"hand","up":true}']);
  });

  it("floats reactions for a while, at most one per peer in a short time", () => {
    const { bob, gestures, asLink } = room();
    gestures.message(asLink(bob), '{"t":"react","emoji":"👍"}');
    gestures.message(asLink(bob), '{"t":"react","emoji":"👏"}');
    expect(gestures.reactions.value.map((r) => r.emoji)).toEqual(["👍"]);
    vi.advanceTimersByTime(REACTION_MS + 1);
    expect(gestures.reactions.value).toEqual([]);
  });

  it("takes no reaction from someone for whom a host turned them off, nor sends ours then; hands still go up", () => {
    const off = new Set(["bob"]);
    const bob = new FakeLink("bob");
    const gestures = new Gestures({ myUid: "me", links: new Map([["bob", bob]]), clock: { now: () => Date.now() } }, () => false, (uid) => !off.has(uid));
    const asBob = bob as unknown as PeerLink;
    gestures.message(asBob, '{"t":"react","emoji":"👍"}');
    gestures.message(asBob, '{"t":"hand","up":true}');
    expect(gestures.reactions.value).toEqual([]);
    expect([...gestures.hands.value.keys()]).toEqual(["bob"]);
    off.add("me");
    gestures.react("🎉");
    expect([gestures.reactions.value, bob.sent]).toEqual([[], []]);
    off.clear();
    gestures.react("🎉");
    gestures.message(asBob, '{"t":"react","emoji":"👏"}');
    expect(gestures.reactions.value.map((r) => [r.uid, r.emoji])).toEqual([["me", "🎉"], ["bob", "👏"]]);
  });

  it("lowers one person's hand with the same message, sent to them alone", () => {
    const { bob, links, gestures } = room();
    const carol = new FakeLink("carol");
    links.set("carol", carol);
    expect(gestures.lowerHandOf("bob")).toBe(true);
    expect([bob.sent, carol.sent]).toEqual([['{"t":"lower-hands"}'], []]);
    expect(gestures.lowerHandOf("gone")).toBe(false);
  });

  it("takes a spotlight from a host or co-host only", () => {
    const { bob, gestures, asLink } = room();
    gestures.message(asLink(bob), JSON.stringify({ t: "spotlight", uid: "bob", at: Date.now() }));
    expect(gestures.spotlight.value).toBeNull();
  });

  it("keeps the newest spotlight, and ends it when the spotlighted person goes", () => {
    const { bob, links, gestures, asLink } = room(["bob"]);
    gestures.message(asLink(bob), JSON.stringify({ t: "spotlight", uid: "bob", at: Date.now() + 10_000 }));
    expect(gestures.spotlight.value).toMatchObject({ uid: "bob", by: "bob" });
    gestures.message(asLink(bob), JSON.stringify({ t: "spotlight", uid: "me", at: 1 })); // older: ignored
    expect(gestures.spotlight.value?.uid).toBe("bob");
    links.delete("bob");
    gestures.closed(asLink(bob));
    expect(gestures.spotlight.value).toBeNull();
  });
});
