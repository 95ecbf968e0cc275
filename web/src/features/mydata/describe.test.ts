import { describe, expect, it } from "vitest";
import type { MyRecord } from "../../protocol.gen";
import { deletionPlan, formatWhen, grouped, recordTitle } from "./describe";

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
});
