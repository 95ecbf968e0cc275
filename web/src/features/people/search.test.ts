import { describe, expect, it } from "vitest";
import { foldName, matchesName, searchSummary, waitingSummary } from "./search";

describe("people search", () => {
  it("folds case, accents and spaces", () => {
    expect(foldName("  Zoë   O'BRIEN ")).toBe("zoe o'brien");
    expect(foldName("Ångström")).toBe("angstrom");
  });

  it("finds a name by any part of it, and everyone for a blank search", () => {
    expect(matchesName("Zoë Lambert", "zoe")).toBe(true);
    expect(matchesName("Anna van der Berg", "VAN  der")).toBe(true);
    expect(matchesName("Bob", "carol")).toBe(false);
    expect(matchesName("Bob", "   ")).toBe(true);
  });

  it("says how many were found, or that nobody was", () => {
    expect(searchSummary(2, 5, "a")).toBe("2 of 5 people");
    expect(searchSummary(0, 5, " zed ")).toBe("No one here is called “zed”.");
  });
});

describe("the waiting list's search", () => {
  it("says how many waiting match, that none does, or nothing when all do or none is sought", () => {
    expect(waitingSummary(1, 3, "zoe")).toBe("1 of 3 waiting");
    expect(waitingSummary(0, 3, " Max ")).toBe("No one waiting is called “Max”.");
    expect(waitingSummary(3, 3, "a")).toBe("");
    expect(waitingSummary(3, 3, "  ")).toBe("");
  });
});
