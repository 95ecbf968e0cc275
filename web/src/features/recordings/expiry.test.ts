import { describe, expect, it } from "vitest";
import { DEFAULT_KEEP_DAYS, expiresAt, sweepPlan, validKeepDays } from "./expiry";
import type { RecordingMeta } from "./store";

const DAY = 24 * 3600 * 1000;
const NOW = Date.UTC(2026, 4, 10, 12);

function rec(id: string, ageDays: number): RecordingMeta {
  return { id, meetingId: "m", title: null, startedAt: NOW - ageDays * DAY, durationMs: 1, size: 1, mime: "video/webm", chunks: 1, complete: true };
}

describe("recording expiry", () => {
  it("deletes what is past the chosen time and announces what goes within a day", () => {
    const plan = sweepPlan([rec("old", 7), rec("older", 30), rec("soon", 6.5), rec("new", 1)], NOW, 7);
    expect(plan.expired.map((m) => m.id)).toEqual(["old", "older"]);
    expect(plan.soon.map((m) => m.id)).toEqual(["soon"]);
  });

  it("follows the person's choice", () => {
    expect(sweepPlan([rec("a", 2)], NOW, 1).expired).toHaveLength(1);
    expect(sweepPlan([rec("a", 2)], NOW, 30).expired).toHaveLength(0);
    expect(expiresAt(rec("a", 0), 3)).toBe(NOW + 3 * DAY);
  });

  it("keeps 7 days unless a known choice was made", () => {
    expect(validKeepDays("14")).toBe(14);
    expect(validKeepDays(null)).toBe(DEFAULT_KEEP_DAYS);
    expect(validKeepDays("365")).toBe(DEFAULT_KEEP_DAYS);
  });
});
