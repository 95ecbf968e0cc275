import { describe, expect, it } from "vitest";
import type { ErrorCode } from "../../core/api/errors";
import type { ErrorReason } from "../../protocol.gen";
import { joinErrorView } from "./joinErrors";

const failure = (code: ErrorCode, reason?: ErrorReason, details: Record<string, unknown> = {}) => ({
  code,
  reason,
  details: reason ? { reason, ...details } : details,
});
const message = (code: ErrorCode, reason?: ErrorReason, details?: Record<string, unknown>) => {
  const view = joinErrorView(failure(code, reason, details), "abc-defg-hij", false);
  return view.kind === "message" ? view.message : `(${view.kind})`;
};

describe("joinErrorView", () => {
  it("asks for the password, saying why only after a wrong one", () => {
    expect(joinErrorView(failure("permission-denied", "password-required"), "abc-defg-hij", false)).toEqual({ kind: "password", error: "" });
    expect(joinErrorView(failure("permission-denied", "wrong-password"), "abc-defg-hij", true)).toEqual({
      kind: "password",
      error: "That password is not right.",
    });
    // A stashed password that no longer works: ask without blaming the person.
    expect(joinErrorView(failure("permission-denied", "wrong-password"), "abc-defg-hij", false)).toEqual({ kind: "password", error: "" });
  });

  it("says how long to wait after too many wrong passwords", () => {
    expect(message("resource-exhausted", "too-many-attempts", { retryAfterSeconds: 600 })).toBe("Too many wrong passwords. Try again in 10 minutes.");
    expect(message("resource-exhausted", "too-many-attempts", { retryAfterSeconds: 45 })).toBe("Too many wrong passwords. Try again in 1 minute.");
    expect(message("resource-exhausted", "too-many-attempts")).toBe("Too many wrong passwords. Try again in 15 minutes.");
  });

  it("explains each other refusal", () => {
    expect(message("resource-exhausted", "meeting-full")).toBe("This meeting is full.");
    expect(message("failed-precondition", "meeting-ended")).toBe("This meeting has ended.");
    expect(message("not-found")).toBe("There is no meeting abc-defg-hij. Check the code.");
    expect(message("invalid-argument")).toBe("That is not a valid meeting code.");
    expect(message("unauthenticated")).toBe("Your sign-in has expired. Sign in again.");
  });

  it("blames the connection for anything else", () => {
    for (const code of ["unavailable", "internal", "deadline-exceeded", "unknown"] as const) {
      expect(message(code)).toBe("Could not reach the meeting service. Check your connection and try again.");
    }
    expect(joinErrorView(failure("unavailable", "contended"), "abc-defg-hij", false)).toMatchObject({ kind: "message", title: "Can't join" });
  });
});
