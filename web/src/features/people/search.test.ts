import { describe, expect, it } from "vitest";
import { foldName, matchesName, searchSummary } from "./search";

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
