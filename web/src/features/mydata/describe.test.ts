import { describe, expect, it } from "vitest";
import type { MyRecord } from "../../protocol.gen";
import { deletionPlan, formatWhen, grouped, ORDER, PLACES, recordTitle } from "./describe";

function record(over: Partial<MyRecord>): MyRecord {
  return {
    storedIn: "joins",
    id: "x",
    meetingId: "abc-defg-hij",
    at: "2026-05-01T12:00:00Z",
    otherName: null,
    fields: [],
    deleteAfter: "2026-05-08T12:00:00Z",
    onDelete: "deleted",
    why: "",
    ...over,
  };
}

describe("my data", () => {
  it("names records", () => {
    expect(recordTitle(record({ storedIn: "cdrs", otherName: "Bob" }))).toBe("Connection with Bob in abc-defg-hij");
    expect(recordTitle(record({ storedIn: "auth" }))).toBe("Your account");
  });

  it("groups in a fixed order", () => {
    const groups = grouped([record({ storedIn: "joins" }), record({ storedIn: "auth" }), record({ storedIn: "joins" })]);
    expect(groups.map(([where, list]) => [where, list.length])).toEqual([
      ["auth", 1],
      ["joins", 2],
    ]);
  });

  it("says what stays and until when", () => {
    const plan = deletionPlan([
      record({}),
      record({ storedIn: "cdrs", onDelete: "kept", deleteAfter: "2026-05-07T00:00:00Z" }),
      record({ storedIn: "cdrs", onDelete: "kept", deleteAfter: "2026-05-08T00:00:00Z" }),
    ]);
    expect(plan.goNow).toBe(1);
    expect(plan.kept).toHaveLength(2);
    expect(plan.lastKept).toBe("2026-05-08T00:00:00Z");
    expect(deletionPlan([record({})]).lastKept).toBeNull();
  });

  it("shows times in UTC", () => {
    expect(formatWhen("2026-05-08T12:00:00Z", "en-GB")).toBe("8 May 2026, 12:00 UTC");
    expect(formatWhen(null)).toBe("");
  });

  it("names every kind of record, with and without its meeting", () => {
    const titles: [Partial<MyRecord>, string][] = [
      [{ storedIn: "identities" }, "Your sign-in identity"],
      [{ storedIn: "cdrs", otherName: null, meetingId: null }, "Connection with someone in a meeting"],
      [{ storedIn: "joins" }, "Joined abc-defg-hij"],
      [{ storedIn: "joins", meetingId: null }, "Joined a meeting"],
      [{ storedIn: "participants" }, "In abc-defg-hij"],
      [{ storedIn: "participants", meetingId: null }, "In a meeting"],
      [{ storedIn: "meetings" }, "Meeting abc-defg-hij"],
      [{ storedIn: "meetings", meetingId: null, id: "qqq-qqqq-qqq" }, "Meeting qqq-qqqq-qqq"],
      [{ storedIn: "archives" }, "Archive of abc-defg-hij"],
      [{ storedIn: "archives", meetingId: null }, "Archive of a meeting"],
      [{ storedIn: "join_attempts" }, "Wrong passwords for abc-defg-hij"],
      [{ storedIn: "join_attempts", meetingId: null }, "Wrong passwords for a meeting"],
      [{ storedIn: "quotas", id: "joins~u1~day" }, "Usage counter joins in abc-defg-hij"],
      [{ storedIn: "quotas", id: "probes~u1~minute", meetingId: null }, "Usage counter probes"],
    ];
    for (const [over, title] of titles) expect(recordTitle(record(over))).toBe(title);
  });

  it("has a heading for every place, in the order shown", () => {
    expect([...ORDER].sort()).toEqual(Object.keys(PLACES).sort());
    expect(ORDER.slice(0, 3)).toEqual(["auth", "identities", "cdrs"]);
    expect(PLACES.cdrs).toBe("Call records (your connections)");
    const all = grouped(ORDER.map((storedIn) => record({ storedIn })).reverse());
    expect(all.map(([where]) => where)).toEqual(ORDER);
  });

  it("keeps a date it cannot read as it came, and orders the kept ones by date", () => {
    expect(formatWhen("not a date")).toBe("not a date");
    const plan = deletionPlan([
      record({ onDelete: "kept", deleteAfter: "2026-05-09T00:00:00Z" }),
      record({ onDelete: "kept", deleteAfter: null }),
      record({ onDelete: "kept", deleteAfter: "2026-05-07T00:00:00Z" }),
    ]);
    expect(plan).toMatchObject({ goNow: 0, lastKept: "2026-05-09T00:00:00Z" });
  });
});
