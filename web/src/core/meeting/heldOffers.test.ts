import { describe, expect, it, vi } from "vitest";
import { LIMITS } from "../../protocol.gen";
import { HeldOffers, offersToMake } from "./heldOffers";

/** A held link as JoinCall sees it: its offer, then adopt() or close(). */
function heldLink(sdp: string, fail = false) {
  return {
    holdOffer: vi.fn(() => (fail ? Promise.reject(new Error("no codec")) : Promise.resolve(sdp))),
    adopt: vi.fn(),
    close: vi.fn(() => Promise.resolve()),
  };
}

function held(links: ReturnType<typeof heldLink>[]) {
  const queue = [...links];
  return new HeldOffers(() => queue.shift() as ReturnType<typeof heldLink>);
}

describe("offersToMake", () => {
  it("makes one offer for each participant the lobby saw, one when it could not say", () => {
    expect(offersToMake(0)).toBe(0);
    expect(offersToMake(3)).toBe(3);
    expect(offersToMake(null)).toBe(1);
    expect(offersToMake(undefined)).toBe(1);
    expect(offersToMake(99)).toBe(LIMITS.offersPerJoin);
    expect(offersToMake(-2)).toBe(0);
  });
});

describe("HeldOffers", () => {
  const ice = { iceServers: [{ urls: "turn:127.0.0.1:3478" }], iceTransportPolicy: "relay" as const };

  it("gives each offer the join used to its participant and closes the rest", async () => {
    const links = [heldLink("sdp-0"), heldLink("sdp-1"), heldLink("sdp-2")];
    const join = held(links);
    expect(await join.prepare(3)).toEqual(["sdp-0", "sdp-1", "sdp-2"]);
    const registered: unknown[] = [];
    const participants = [
      { uid: "a", displayName: "A", session: "sa", role: "host" as const, offer: 1 },
      { uid: "b", displayName: "B", session: "sb", role: "participant" as const },
    ];
    join.adopt(participants, ice, (link) => registered.push(link));
    expect(registered).toEqual([links[1]]);
    expect(links[1].adopt).toHaveBeenCalledWith("a", "sa", ice);
    expect(links[1].close).not.toHaveBeenCalled();
    expect(links[0].close).toHaveBeenCalledOnce();
    expect(links[2].close).toHaveBeenCalledOnce();
    join.discard(); // nothing left to close twice
    expect(links[0].close).toHaveBeenCalledOnce();
  });

  it("goes without offers when one cannot be made", async () => {
    const links = [heldLink("sdp-0"), heldLink("", true)];
    const join = held(links);
    expect(await join.prepare(2)).toEqual([]);
    for (const link of links) expect(link.close).toHaveBeenCalledOnce();
    const registered: unknown[] = [];
    join.adopt([{ uid: "a", displayName: "A", session: "sa", role: "host", offer: 0 }], ice, (link) => registered.push(link));
    expect(registered).toEqual([]);
  });
});
