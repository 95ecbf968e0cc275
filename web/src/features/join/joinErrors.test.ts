import { describe, expect, it } from "vitest";
import type { ErrorCode } from "../../core/api/errors";
import type { ErrorReason } from "../../protocol.gen";
import { infoView, joinErrorView, type JoinErrorView } from "./joinErrors";

const failure = (code: ErrorCode, reason?: ErrorReason, details: Record<string, unknown> = {}) => ({
  code,
  reason,
  details: reason ? { reason, ...details } : details,
});
const view = (code: ErrorCode, reason?: ErrorReason, details?: Record<string, unknown>) => joinErrorView(failure(code, reason, details), "abc-defg-hij", false);
const message = (v: JoinErrorView) => (v.kind === "message" ? v : null);

describe("joinErrorView", () => {
  it("sends a newcomer to the lobby's queue and says a lock or a refusal plainly", () => {
    expect(view("permission-denied", "knock-required", { removed: true })).toEqual({ kind: "knock" });
    expect(message(view("failed-precondition", "meeting-locked"))?.title).toBe("This meeting is locked");
    expect(message(view("permission-denied", "denied"))?.title).toBe("You were not let in");
    expect(joinErrorView({ code: "invalid-argument", reason: undefined, details: { field: "displayName" } }, "abc-defg-hij", false).kind).toBe("name");
    expect(message(view("invalid-argument"))?.title).toBe("There is no meeting abc-defg-hij");
  });

  it("asks for the password, saying why only after a wrong one", () => {
    expect(joinErrorView(failure("permission-denied", "password-required"), "abc-defg-hij", false)).toEqual({ kind: "password", error: "" });
    expect(joinErrorView(failure("permission-denied", "wrong-password"), "abc-defg-hij", true)).toEqual({
      kind: "password",
      error: "That password is not right.",
    });
    // A stashed password that no longer works: ask without blaming the person.
    expect(joinErrorView(failure("permission-denied", "wrong-password"), "abc-defg-hij", false)).toEqual({ kind: "password", error: "" });
  });

  it("says how long to wait after too many wrong passwords, with no retry that cannot succeed", () => {
    expect(message(view("resource-exhausted", "too-many-attempts", { retryAfterSeconds: 600 }))).toMatchObject({
      message: "Ask the organiser for the password, then try again in 10 minutes.",
      actions: ["home"],
    });
    expect(message(view("resource-exhausted", "too-many-attempts", { retryAfterSeconds: 45 }))?.message).toContain("in 1 minute.");
    expect(message(view("resource-exhausted", "too-many-attempts"))?.message).toContain("in 15 minutes.");
  });

  it("says what to do about a full meeting", () => {
    const full = message(view("resource-exhausted", "meeting-full", { maxParticipants: 8 }));
    expect(full).toMatchObject({ title: "This meeting is full", actions: ["retry", "home"] });
    expect(full?.message).toContain("(8 people)");
    expect(full?.message).toContain("when someone has left");
  });

  it("says how long to wait when over a quota, and who to be when the account is refused", () => {
    expect(message(view("resource-exhausted", "rate-limited", { retryAfterSeconds: 120 }))).toMatchObject({
      title: "Too many tries in a short time",
      message: "Check the code or link, then try again in 2 minutes.",
      actions: ["retry", "home"],
    });
    expect(message(view("resource-exhausted", "rate-limited"))?.message).toContain("in 1 minute.");
    expect(message(view("permission-denied", "account-refused"))).toMatchObject({
      title: "This account can't join here",
      actions: ["sign-in", "home"],
    });
  });

  it("offers no retry where a retry cannot succeed", () => {
    for (const v of [view("failed-precondition", "meeting-ended"), view("not-found"), view("invalid-argument")]) {
      expect(message(v)?.actions).toEqual(["home"]);
    }
    expect(message(view("not-found"))?.title).toBe("There is no meeting abc-defg-hij");
    expect(message(view("unauthenticated"))?.actions).toEqual(["sign-in"]);
  });

  it("blames the connection for anything else, and lets the person retry", () => {
    for (const code of ["unavailable", "internal", "deadline-exceeded", "unknown"] as const) {
      expect(message(view(code))).toMatchObject({ title: "Can't reach the meeting service", actions: ["retry", "home"] });
    }
    expect(message(view("unavailable", "contended"))?.actions).toEqual(["retry", "home"]);
  });
});

describe("infoView", () => {
  const info = { exists: true, state: "open" as const, hasPassword: false, title: null, full: false, relayOnly: false, entry: "join" as const, storage: [], storedOfYou: [], storedOfYouBy: null, present: 0, turnedOff: [] };
  it("stops before the lobby only for a meeting that cannot be joined", () => {
    expect(infoView(info, "abc-defg-hij")).toBeNull();
    expect(infoView({ ...info, full: true }, "abc-defg-hij")).toBeNull();
    expect(message(infoView({ ...info, exists: false, state: null }, "abc-defg-hij")!)?.title).toBe("There is no meeting abc-defg-hij");
    expect(message(infoView({ ...info, state: "ended" }, "abc-defg-hij")!)?.title).toBe("This meeting has ended");
    expect(infoView({ ...info, entry: "knock" }, "abc-defg-hij")).toBeNull();
    expect(message(infoView({ ...info, entry: "locked" }, "abc-defg-hij")!)).toMatchObject({ title: "This meeting is locked", actions: ["retry", "home"] });
    expect(message(infoView({ ...info, entry: "denied" }, "abc-defg-hij")!)).toMatchObject({ title: "You were not let in", actions: ["home"] });
  });
});
