import { describe, expect, it } from "vitest";
import { diffRoster, NEW_LINK_GRACE_MS, ownVerdict, rosterAfterJoin, storedByOf, type LinkInfo, type Participant } from "./roster";

const ME = "me";
const doc = (id: string, data: Record<string, unknown>) => ({ id, data });
const joined = (id: string, session: string, displayName = id, role = "participant") => doc(id, { displayName, session, state: "joined", role });
const left = (id: string, session: string, endCause?: string) => doc(id, { displayName: id, session, state: "left", endCause });

function roster(...entries: [string, string][]): Map<string, Participant> {
  return new Map(entries.map(([uid, session]) => [uid, { uid, displayName: uid, session, state: "joined", role: "participant" }]));
}
const links = (...entries: [string, string, number][]) =>
  new Map<string, LinkInfo>(entries.map(([uid, remoteSession, ageMs]) => [uid, { remoteSession, ageMs }]));

describe("diffRoster", () => {
  it("adds a newcomer without touching connections (the newcomer offers)", () => {
    const diff = diffRoster(ME, roster([ME, "s0"]), links(), [joined(ME, "s0"), joined("bob", "b1", "Bob")]);
    expect(diff.changed).toBe(true);
    expect(diff.roster.get("bob")).toEqual({ uid: "bob", displayName: "Bob", session: "b1", state: "joined", role: "participant" });
    expect(diff.drops).toEqual([]);
    expect(diff.own).toEqual({ kind: "present", session: "s0", role: "participant", room: null });
  });

  it("says nothing changed when nothing did", () => {
    const known = roster([ME, "s0"], ["bob", "b1"]);
    const diff = diffRoster(ME, known, links(["bob", "b1", 99_999]), [joined(ME, "s0"), joined("bob", "b1")]);
    expect(diff.changed).toBe(false);
    expect(diff.drops).toEqual([]);
  });

  it("drops the connection of one who left, without reporting it", () => {
    const diff = diffRoster(ME, roster([ME, "s0"], ["bob", "b1"]), links(["bob", "b1", 99_999]), [joined(ME, "s0"), left("bob", "b1")]);
    expect(diff.roster.has("bob")).toBe(false);
    expect(diff.drops).toEqual([{ uid: "bob", reason: "participant left", report: false }]);
  });

  it("keeps a connection to a newer session when an older one is marked left", () => {
    const diff = diffRoster(ME, roster([ME, "s0"], ["bob", "b1"]), links(["bob", "b2", 99_999]), [joined(ME, "s0"), left("bob", "b1")]);
    expect(diff.drops).toEqual([]);
  });

  it("drops (and reports) the stale connection of one who re-joined", () => {
    const diff = diffRoster(ME, roster([ME, "s0"], ["bob", "b1"]), links(["bob", "b1", 99_999]), [joined(ME, "s0"), joined("bob", "b2")]);
    expect(diff.changed).toBe(true);
    expect(diff.roster.get("bob")?.session).toBe("b2");
    expect(diff.drops).toEqual([{ uid: "bob", reason: "participant has a new session", report: true }]);
  });

  it("forgets one whose document is gone, but not a connection just offered", () => {
    const known = roster([ME, "s0"], ["bob", "b1"], ["carol", "c1"]);
    const diff = diffRoster(ME, known, links(["bob", "b1", NEW_LINK_GRACE_MS + 1], ["carol", "c1", 10]), [joined(ME, "s0")]);
    expect([...diff.roster.keys()].sort()).toEqual(["carol", "me"]);
    expect(diff.drops).toEqual([{ uid: "bob", reason: "participant document removed", report: false }]);
  });

  it("drops (and reports) the connection to someone in another breakout room, keeping them in the roster", () => {
    const inRoom = (id: string, session: string, room: number | null) => doc(id, { displayName: id, session, state: "joined", role: "participant", room });
    const known = roster([ME, "s0"], ["bob", "b1"], ["cy", "c1"]);
    const docs = [inRoom(ME, "s0", 2), inRoom("bob", "b1", 1), inRoom("cy", "c1", 2)];
    const diff = diffRoster(ME, known, links(["bob", "b1", 99_999], ["cy", "c1", 99_999]), docs, 2);
    expect(diff.drops).toEqual([{ uid: "bob", reason: "participant in another room", report: true }]);
    expect(diff.roster.get("bob")?.room).toBe(1);
    expect(diff.own).toEqual({ kind: "present", session: "s0", role: "participant", room: 2 });
    // In the main room (null), a room of null or none is ours.
    const main = diffRoster(ME, known, links(["bob", "b1", 99_999]), [joined(ME, "s0"), inRoom("bob", "b1", null)]);
    expect(main.drops).toEqual([]);
  });

  it("reports our own document", () => {
    expect(diffRoster(ME, roster(), links(), []).own).toEqual({ kind: "missing" });
    expect(diffRoster(ME, roster(), links(), [left(ME, "s0", "heartbeat-timeout")]).own).toEqual({ kind: "left", endCause: "heartbeat-timeout" });
    expect(diffRoster(ME, roster(), links(), [left(ME, "s0")]).own).toEqual({ kind: "left", endCause: null });
  });

  it("reads unexpected fields defensively", () => {
    const diff = diffRoster(ME, roster(), links(), [doc("x", { state: "weird" }), doc("y", { state: "joined" })]);
    expect(diff.roster.has("x")).toBe(false);
    expect(diff.roster.get("y")).toEqual({ uid: "y", displayName: "Guest", session: "", state: "joined", role: "participant" });
    expect(diffRoster(ME, roster(), links(), [doc("z", { state: "joined", role: "admin" })]).roster.get("z")?.role).toBe("participant");
  });

  it("drops the connection of one a host removed at once, like one who left", () => {
    const removed = doc("bob", { displayName: "Bob", session: "b1", state: "removed", endCause: "removed" });
    const diff = diffRoster(ME, roster([ME, "s0"], ["bob", "b1"]), links(["bob", "b1", 10]), [joined(ME, "s0"), removed]);
    expect(diff.roster.has("bob")).toBe(false);
    expect(diff.drops).toEqual([{ uid: "bob", reason: "participant removed", report: false }]);
  });

  it("follows roles, ours included", () => {
    const known = roster([ME, "s0"], ["bob", "b1"]);
    const diff = diffRoster(ME, known, links(), [joined(ME, "s0", ME, "cohost"), joined("bob", "b1", "bob", "host")]);
    expect(diff.changed).toBe(true);
    expect(diff.roster.get("bob")?.role).toBe("host");
    expect(diff.roster.get(ME)?.role).toBe("cohost");
    expect(diff.own).toEqual({ kind: "present", session: "s0", role: "cohost", room: null });
  });

  it("follows what each organisation stores, ours included", () => {
    const acme = { orgId: "acme", orgName: "Acme", kinds: ["chat", "attendance"] };
    const known = roster([ME, "s0"], ["bob", "b1"]);
    const first = diffRoster(ME, known, links(), [doc(ME, { session: "s0", state: "joined", storedBy: acme }), doc("bob", { session: "b1", state: "joined", storedBy: acme })]);
    expect(first.changed).toBe(true);
    expect(first.roster.get(ME)?.storedBy).toEqual(acme);
    expect(first.roster.get("bob")?.storedBy).toEqual(acme);
    const same = diffRoster(ME, first.roster, links(), [doc(ME, { session: "s0", state: "joined", storedBy: acme }), doc("bob", { session: "b1", state: "joined", storedBy: acme })]);
    expect(same.changed).toBe(false);
    const off = diffRoster(ME, first.roster, links(), [doc(ME, { session: "s0", state: "joined", storedBy: null }), doc("bob", { session: "b1", state: "joined", storedBy: null })]);
    expect(off.changed).toBe(true);
    expect(off.roster.get(ME)?.storedBy).toBeUndefined();
    expect(off.roster.get("bob")?.storedBy).toBeUndefined();
  });

  it("follows what a host lets each one do all the same, ours included", () => {
    const known = roster([ME, "s0"], ["bob", "b1"]);
    const both = (permitted: unknown) => [doc(ME, { session: "s0", state: "joined", permitted }), doc("bob", { session: "b1", state: "joined", permitted })];
    const first = diffRoster(ME, known, links(), both(["mic", "nonsense"]));
    expect(first.changed).toBe(true);
    expect(first.roster.get(ME)?.permitted).toEqual(["mic"]);
    expect(first.roster.get("bob")?.permitted).toEqual(["mic"]);
    expect(diffRoster(ME, first.roster, links(), both(["mic"])).changed).toBe(false);
    const taken = diffRoster(ME, first.roster, links(), both([]));
    expect(taken.changed).toBe(true);
    expect(taken.roster.get(ME)?.permitted).toBeUndefined();
    expect(taken.roster.get("bob")?.permitted).toBeUndefined();
  });

  it("says when we were removed", () => {
    expect(diffRoster(ME, roster(), links(), [doc(ME, { state: "removed", endCause: "removed" })]).own).toEqual({ kind: "removed" });
  });
});

describe("diffRoster: asking for help", () => {
  it("follows who asks for help in a breakout room, by the server's time", () => {
    const known = roster([ME, "s0"], ["bob", "b1"]);
    const bob = (helpAt: unknown) => [doc(ME, { session: "s0", state: "joined" }), doc("bob", { session: "b1", state: "joined", room: 1, helpAt })];
    const asked = diffRoster(ME, known, links(), bob({ toMillis: () => 5_000 }));
    expect(asked.changed).toBe(true);
    expect(asked.roster.get("bob")?.helpAt).toBe(5_000);
    expect(diffRoster(ME, asked.roster, links(), bob({ toMillis: () => 5_000 })).changed).toBe(false);
    for (const gone of [undefined, null, "soon", { toMillis: () => 0 }]) {
      const answered = diffRoster(ME, asked.roster, links(), bob(gone));
      expect(answered.changed).toBe(true);
      expect(answered.roster.get("bob")?.helpAt).toBeUndefined();
    }
  });

  it("follows a host's 'later', only while the call stands", () => {
    const known = roster([ME, "s0"], ["bob", "b1"]);
    const bob = (fields: Record<string, unknown>) => [doc(ME, { session: "s0", state: "joined" }), doc("bob", { session: "b1", state: "joined", room: 1, ...fields })];
    const asked = diffRoster(ME, known, links(), bob({ helpAt: { toMillis: () => 5_000 } }));
    const later = diffRoster(ME, asked.roster, links(), bob({ helpAt: { toMillis: () => 5_000 }, helpLaterAt: { toMillis: () => 7_000 } }));
    expect(later.changed).toBe(true);
    expect(later.roster.get("bob")?.helpLater).toBe(true);
    expect(diffRoster(ME, known, links(), bob({ helpLaterAt: { toMillis: () => 7_000 } })).roster.get("bob")?.helpLater).toBeUndefined();
  });
});

describe("ownVerdict", () => {
  it("maps what the server says of us to what the session does", () => {
    expect(ownVerdict({ kind: "present", session: "s0", role: "host", room: null }, "s0")).toBe("ok");
    expect(ownVerdict({ kind: "present", session: "s9", role: "host", room: null }, "s0")).toBe("joined-elsewhere");
    // A host moved us: to another room, or back to the main room; the same room is ours.
    expect(ownVerdict({ kind: "present", session: "s0", role: "host", room: 2 }, "s0")).toBe("moved");
    expect(ownVerdict({ kind: "present", session: "s0", role: "host", room: null }, "s0", 2)).toBe("moved");
    expect(ownVerdict({ kind: "present", session: "s0", role: "host", room: 2 }, "s0", 2)).toBe("ok");
    expect(ownVerdict({ kind: "removed" }, "s0")).toBe("removed");
    expect(ownVerdict({ kind: "left", endCause: "meeting-ended" }, "s0")).toBe("meeting-ended");
    expect(ownVerdict({ kind: "left", endCause: "heartbeat-timeout" }, "s0")).toBe("rejoin");
    expect(ownVerdict({ kind: "missing" }, "s0")).toBe("rejoin");
  });
});

describe("rosterAfterJoin", () => {
  it("holds us and the others join_meeting listed", () => {
    const r = rosterAfterJoin({ uid: ME, displayName: "Me", session: "s0", role: "participant" }, [
      { uid: "bob", displayName: "Bob", session: "b1", role: "host" },
    ]);
    expect([...r.values()]).toEqual([
      { uid: ME, displayName: "Me", session: "s0", state: "joined", role: "participant" },
      { uid: "bob", displayName: "Bob", session: "b1", state: "joined", role: "host" },
    ]);
  });
});

describe("storedByOf", () => {
  it("keeps the kinds the protocol knows, and nothing for an empty or malformed value", () => {
    expect(storedByOf({ orgId: "acme", orgName: " Acme ", kinds: ["files", "telepathy", "chat"] })).toEqual({ orgId: "acme", orgName: "Acme", kinds: ["chat", "files"] });
    expect(storedByOf({ orgId: "acme", orgName: "", kinds: ["chat"] })?.orgName).toBe("acme");
    expect(storedByOf({ orgId: "acme", orgName: "Acme", kinds: [] })).toBeUndefined();
    expect(storedByOf({ orgName: "Acme", kinds: ["chat"] })).toBeUndefined();
    expect(storedByOf(null)).toBeUndefined();
    expect(storedByOf("acme")).toBeUndefined();
  });
});
