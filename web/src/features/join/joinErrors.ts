/** What the person sees when join_meeting fails (docs/protocol.md, join_meeting's errors). Pure. */
import type { CallFailure } from "../../core/api/errors";

export type JoinErrorView =
  /** Ask for the password; `error` says why the last one was refused ("" on the first ask). */
  | { kind: "password"; error: string }
  | { kind: "message"; title: string; message: string };

export function joinErrorView(
  failure: Pick<CallFailure, "code" | "reason" | "details">,
  meetingId: string,
  triedPassword: boolean,
): JoinErrorView {
  const { code, reason } = failure;
  if (code === "permission-denied" && (reason === "password-required" || reason === "wrong-password")) {
    return { kind: "password", error: reason === "wrong-password" && triedPassword ? "That password is not right." : "" };
  }
  return { kind: "message", title: "Can't join", message: joinErrorMessage(failure, meetingId) };
}

function joinErrorMessage(failure: Pick<CallFailure, "code" | "reason" | "details">, meetingId: string): string {
  const { code, reason } = failure;
  if (code === "resource-exhausted" && reason === "too-many-attempts") {
    const wait = Number(failure.details.retryAfterSeconds) || 900;
    return `Too many wrong passwords. Try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? "s" : ""}.`;
  }
  if (code === "resource-exhausted" && reason === "meeting-full") return "This meeting is full.";
  if (code === "failed-precondition" && reason === "meeting-ended") return "This meeting has ended.";
  if (code === "not-found") return `There is no meeting ${meetingId}. Check the code.`;
  if (code === "invalid-argument") return "That is not a valid meeting code.";
  if (code === "unauthenticated") return "Your sign-in has expired. Sign in again.";
  return "Could not reach the meeting service. Check your connection and try again.";
}
