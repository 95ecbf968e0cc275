import { describe, expect, it } from "vitest";
import { judge, remember } from "./contacts";

describe("contacts (trust on first use)", () => {
  it("knows a code seen before, and warns about one never seen for that person", () => {
    expect(judge(undefined, "fp1")).toBe("new");
    const first = remember(undefined, "bob", "Bob", "fp1", 1);
    expect(judge(first, "fp1")).toBe("known");
    expect(judge(first, "fp2")).toBe("changed");
  });

  it("remembers verification, and a second device once accepted", () => {
    const first = remember(undefined, "bob", "Bob", "fp1", 1);
    const verified = remember(first, "bob", "Bob B.", "fp1", 2, true);
    expect(judge(verified, "fp1")).toBe("verified");
    expect(verified.name).toBe("Bob B.");
    expect(verified.firstSeen).toBe(1);
    const phone = remember(verified, "bob", "Bob B.", "fp2", 3);
    expect(judge(phone, "fp2")).toBe("known");
    expect(judge(phone, "fp1")).toBe("verified");
    expect(phone.fingerprints).toEqual(["fp1", "fp2"]);
  });
});
