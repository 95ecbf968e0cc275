import { describe, expect, it } from "vitest";
import { END_SLACK_PX, nearEnd } from "./logScroll";

describe("nearEnd", () => {
  it("is at the end within the slack, not further up", () => {
    expect(nearEnd(1000, 600, 400)).toBe(true);
    expect(nearEnd(1000, 600 - END_SLACK_PX, 400)).toBe(true);
    expect(nearEnd(1000, 600 - END_SLACK_PX - 1, 400)).toBe(false);
    expect(nearEnd(300, 0, 400)).toBe(true); // nothing to scroll
  });
});
