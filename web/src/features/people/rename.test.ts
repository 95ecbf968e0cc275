import { describe, expect, it } from "vitest";
import { PERMISSIONS } from "../hosts/permissions";
import { renameFailureText } from "./rename";

const failure = (code: string, reason?: string) => ({ code, reason, details: {}, message: "" }) as Parameters<typeof renameFailureText>[0];

describe("renameFailureText", () => {
  it("says why a rename was refused", () => {
    expect(renameFailureText(failure("permission-denied", "turned-off"))).toBe(PERMISSIONS.rename.off);
    expect(renameFailureText(failure("invalid-argument"))).toMatch(/not an e-mail address/);
    expect(renameFailureText(failure("resource-exhausted", "rate-limited"))).toMatch(/try again later/);
    expect(renameFailureText(failure("unavailable"))).toMatch(/could not be reached/);
  });
});
