/**
 * What the person sees when a meeting cannot be joined (docs/protocol.md: join_meeting's errors,
 * meeting_info's answer), with the next useful action: "Try again" only where trying again can
 * succeed. Pure.
 */
import type { CallFailure } from "../../core/api/errors";
import type { MeetingInfoResult } from "../../protocol.gen";

/** retry: join again; home: the home page (start or join another); sign-in: sign in again. */
export type JoinAction = "retry" | "home" | "sign-in";

export type JoinErrorView =
  /** Ask for the password; `error` says why the last one was refused ("" on the first ask). */
  | { kind: "password"; error: string }
  | { kind: "message"; title: string; message: string; actions: JoinAction[] };

type Failure = Pick<CallFailure, "code" | "reason" | "details">;

function message(title: string, text: string, ...actions: JoinAction[]): JoinErrorView {
  return { kind: "message", title, message: text, actions };
}

function minutes(seconds: number): string {
  const n = Math.ceil(seconds / 60);
  return `${n} minute${n === 1 ? "" : "s"}`;
}

export function joinErrorView(failure: Failure, meetingId: string, triedPassword: boolean): JoinErrorView {
  const { code, reason } = failure;
  if (code === "permission-denied" && (reason === "password-required" || reason === "wrong-password")) {
    return { kind: "password", error: reason === "wrong-password" && triedPassword ? "That password is not right." : "" };
  }
  if (code === "resource-exhausted" && reason === "too-many-attempts") {
    const wait = Number(failure.details.retryAfterSeconds) || 900;
    return message("Too many wrong passwords", `Ask the organiser for the password, then try again in ${minutes(wait)}.`, "home");
  }
  if (code === "resource-exhausted" && reason === "meeting-full") return fullView(Number(failure.details.maxParticipants) || null);
  if (code === "resource-exhausted" && reason === "rate-limited") {
    // A quota (docs/protocol.md section 2): too many joins, or too many codes that do not exist.
    const wait = Number(failure.details.retryAfterSeconds) || 60;
    return message("Too many tries in a short time", `Check the code or link, then try again in ${minutes(wait)}.`, "retry", "home");
  }
  if (code === "permission-denied" && reason === "account-refused") {
    return message(
      "This account can't join here",
      "The organisation that runs this service does not allow this account. Sign in with the account it gave you.",
      "sign-in",
      "home",
    );
  }
  if (code === "failed-precondition" && reason === "meeting-ended") return endedView();
  if (code === "not-found" || code === "invalid-argument") return notFoundView(meetingId);
  if (code === "unauthenticated") return message("Your sign-in has expired", "Sign in again to join.", "sign-in");
  if (code === "unavailable" && reason === "contended") {
    return message("Many people are joining right now", "Your join collided with others. Try again.", "retry", "home");
  }
  return message("Can't reach the meeting service", "Check your internet connection, then try again.", "retry", "home");
}

export function fullView(max: number | null): JoinErrorView {
  const size = max ? ` (${max} people)` : "";
  return message(
    "This meeting is full",
    `It has the most people it can take${size}. Try again when someone has left, or ask the organiser to start a second meeting for the others.`,
    "retry",
    "home",
  );
}

export function endedView(): JoinErrorView {
  return message("This meeting has ended", "Ask the organiser for a new link, or start a meeting of your own from the home page.", "home");
}

export function notFoundView(meetingId: string): JoinErrorView {
  return message(
    `There is no meeting ${meetingId}`,
    "Check the code or link with the person who sent it (a code looks like abc-defg-hij), or start a meeting of your own.",
    "home",
  );
}

/** Before the lobby: a meeting that cannot be joined at all is said at once (null: go on to the lobby). */
export function infoView(info: MeetingInfoResult, meetingId: string): JoinErrorView | null {
  if (!info.exists) return notFoundView(meetingId);
  if (info.state === "ended") return endedView();
  return null;
}
