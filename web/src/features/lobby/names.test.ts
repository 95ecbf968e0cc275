import { describe, expect, it } from "vitest";
import { looksLikeContact, nameProblem, normaliseName, suggestedName } from "./names";

describe("display names", () => {
  it("are trimmed with their spaces collapsed", () => {
    expect(normaliseName("  Ada \t Lovelace ")).toBe("Ada Lovelace");
    expect(nameProblem("  Ada  ")).toBeNull();
    expect(nameProblem("Zoë (she/her) 🙂")).toBeNull();
    expect(nameProblem("Room 101")).toBeNull();
  });

  it("are refused when empty, long, odd or contact details", () => {
    expect(nameProblem("   ")).toMatch(/Enter/);
    expect(nameProblem("a".repeat(65))).toMatch(/64/);
    expect(nameProblem("Ada\u202e")).toMatch(/letters/);
    for (const contact of ["ada@example.com", "Ada <ada@example.org>", "+1 (555) 010-0002", "call 5550100002"]) {
      expect(nameProblem(contact)).toMatch(/e-mail address or phone number/);
    }
    expect(nameProblem("Ada ADA@EXAMPLE.COM", { email: "ada@example.com" })).not.toBeNull();
    expect(nameProblem("Ada +15550100002", { phone: "+15550100002" })).not.toBeNull();
  });

  it("tells contact details from names", () => {
    expect(looksLikeContact("@ada")).toBe(false);
    expect(looksLikeContact("Jo 123456")).toBe(false);
    expect(looksLikeContact("tel 555-010-0002")).toBe(true);
  });

  it("are prefilled from the account's name only, never from its e-mail address or phone", () => {
    expect(suggestedName({ displayName: " Ada  Lovelace ", email: "ada@example.com" })).toBe("Ada Lovelace");
    expect(suggestedName({ displayName: null, email: "grace.hopper@example.com" })).toBe("");
    expect(suggestedName({ displayName: "", phoneNumber: "+15550100002" })).toBe("");
    expect(suggestedName({ displayName: "linus@example.com", email: "linus@example.com" })).toBe("");
    expect(suggestedName({ displayName: "x".repeat(80) })).toBe("x".repeat(64));
  });
});
