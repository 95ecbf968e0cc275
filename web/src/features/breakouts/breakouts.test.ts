import { describe, expect, it } from "vitest";
import type { Participant } from "../../core/meeting/roster";
import { offersCountdown, aloneText, defaultRoomNames, elsewhereText, groups, helpCalls, helpCallText, movedNotice, newHelpCalls, roomsNamed, othersMovedNotice, roomName, roomNamesProblem, spread, timeLeft, timerStep } from "./breakouts";

const person = (uid: string, room?: number, state: Participant["state"] = "joined"): Participant => ({
  uid, displayName: uid.toUpperCase(), session: `s-${uid}`, state, role: "participant", ...(room ? { room } : {}),
});

describe("breakout rooms", () => {
  it("names rooms by default and checks names as typed", () => {
    expect(defaultRoomNames(3)).toEqual(["Room 1", "Room 2", "Room 3"]);
    expect(defaultRoomNames(99)).toHaveLength(20);
    expect(roomNamesProblem(["Red", " "])).toBe("Give every room a name.");
    expect(roomNamesProblem(["Red", " red "])).toBe("Two rooms have the same name.");
    expect(roomNamesProblem(["x".repeat(41)])).toMatch(/at most 40/);
    expect(roomNamesProblem(["Red", "Blue"])).toBeNull();
  });

  it("spreads people evenly over the rooms", () => {
    const placed = spread(["a", "b", "c", "d", "e"], 2, () => 0.5);
    const counts = [1, 2].map((room) => Object.values(placed).filter((r) => r === room).length);
    expect(counts).toEqual([3, 2]);
    expect(Object.keys(placed).sort()).toEqual(["a", "b", "c", "d", "e"]);
    expect(spread([], 3)).toEqual({});
  });

  it("groups those present by room, the main room first", () => {
    const found = groups([person("b", 2), person("a"), person("c", 1), person("gone", 1, "left"), person("x", 9)], ["Red", "Blue"]);
    expect(found.map((g) => [g.name, g.people.map((p) => p.uid)])).toEqual([
      ["Main room", ["a", "x"]], // a room that no longer exists counts as the main room
      ["Red", ["c"]],
      ["Blue", ["b"]],
    ]);
    expect([roomName(null, []), roomName(2, ["Red"]), roomName(1, ["Red"])]).toEqual(["Main room", "Room 2", "Red"]);
  });

  it("says where a host moved us, and who came or went from our room", () => {
    expect(movedNotice(null, 1, ["Red"])).toBe("You are in the breakout room Red");
    expect(movedNotice(1, null, ["Red"])).toBe("You are back in the main room");
    expect(movedNotice(1, 1, ["Red"])).toBeNull();
    expect(othersMovedNotice("Bob", null, 1, 1, ["Red"])).toBe("Bob joined this room");
    expect(othersMovedNotice("Bob", 1, 2, 1, ["Red", "Blue"])).toBe("Bob went to Blue");
    expect(othersMovedNotice("Bob", 2, null, 1, ["Red", "Blue"])).toBeNull(); // not about our room
  });

  it("says the time left on a timer", () => {
    expect(timeLeft(272_000, 0)).toBe("4:32");
    expect(timeLeft(1_500, 0)).toBe("0:02"); // rounded up: 0:00 only once due
    expect(timeLeft(0, 5_000)).toBe("0:00");
    expect(timeLeft(3_725_000, 0)).toBe("1:02:05");
  });

  it("warns a minute before timed rooms close, then closes them once due", () => {
    expect(timerStep(300_000, 0, false)).toEqual({ warn: false, close: false, inMs: 240_000 });
    expect(timerStep(300_000, 240_000, false)).toEqual({ warn: true, close: false, inMs: 60_000 });
    expect(timerStep(300_000, 250_000, true)).toEqual({ warn: false, close: false, inMs: 50_000 });
    expect(timerStep(300_000, 280_000, false)).toEqual({ warn: true, close: false, inMs: 20_000 }); // came late
    expect(timerStep(300_000, 300_000, true)).toEqual({ warn: false, close: true, inMs: 0 });
    expect(timerStep(300_000, 900_000, false)).toEqual({ warn: false, close: true, inMs: 0 }); // long past: no warning
  });

  it("lists who asks for help in a room, the longest waiting first, and which calls are new", () => {
    const at = (uid: string, room: number | undefined, helpAt: number | undefined, state: Participant["state"] = "joined"): Participant => ({
      uid,
      displayName: uid.toUpperCase(),
      session: "s",
      state,
      role: "participant",
      ...(room ? { room } : {}),
      ...(helpAt ? { helpAt } : {}),
    });
    const roster = [at("b", 2, 20), at("a", 1, 10), at("c", undefined, 5), at("d", 1, 1, "left"), at("e", 3, 30), at("f", 1, undefined)];
    const calls = helpCalls(roster, ["Red", "Blue"]);
    expect(calls.map((c) => [c.uid, c.roomName, c.at])).toEqual([
      ["a", "Red", 10],
      ["b", "Blue", 20],
      ["e", "Room 3", 30],
    ]);
    expect(helpCallText(calls[0])).toBe("A asks for help in Red");
    const again = helpCalls([at("a", 1, 10), at("b", 2, 25)], ["Red", "Blue"]);
    expect(newHelpCalls(calls, again).map((c) => c.uid)).toEqual(["b"]);
    expect(newHelpCalls(again, again)).toEqual([]);
  });

  it("waits for the rooms' names when people are placed before the names are read", () => {
    expect(roomsNamed([null, 1, 2], [])).toBe(false); // the participants came first
    expect(roomsNamed([null, 1, 2], ["Red"])).toBe(false);
    expect(roomsNamed([null, 1, 2], ["Red", "Blue"])).toBe(true);
    expect(roomsNamed([null, null], [])).toBe(true); // closed: back in the main room
  });

  it("says where the others are when we are alone in our room", () => {
    expect(aloneText(null, 0, [])).toBe("You are the only one here.");
    expect(aloneText(null, 2, ["Red", "Blue"])).toBe("Nobody else is in the main room: 2 people are in breakout rooms.");
    expect(aloneText(2, 1, ["Red", "Blue"])).toBe("Nobody else is in Blue: 1 person is in other rooms.");
    expect(elsewhereText(null, 3)).toBe("3 people are in breakout rooms.");
    expect(elsewhereText(1, 1)).toBe("1 person is in other rooms.");
  });
});

describe("offersCountdown", () => {
  it("offers 'Close in 1 minute' only while the rooms close later than that, with our clock's slack", () => {
    const now = 1_000_000;
    expect(offersCountdown(null, now)).toBe(true);
    expect(offersCountdown(now + 10 * 60_000, now)).toBe(true);
    // Just counted down: the server's minute, read by a clock up to seconds behind, is not offered again.
    expect(offersCountdown(now + 60_000, now)).toBe(false);
    expect(offersCountdown(now + 63_000, now)).toBe(false);
    expect(offersCountdown(now + 66_000, now)).toBe(true);
  });
});

