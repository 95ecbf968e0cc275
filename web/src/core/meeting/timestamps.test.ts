import { describe, expect, it } from "vitest";
import { millisOf } from "./timestamps";

describe("millisOf", () => {
  it("reads a timestamp's epoch ms, and 0 for anything else", () => {
    expect(millisOf({ toMillis: () => 5_000 })).toBe(5_000);
    for (const none of [undefined, null, 5, "soon", {}, { toMillis: () => "x" }, { toMillis: () => NaN }]) expect(millisOf(none)).toBe(0);
  });
});
