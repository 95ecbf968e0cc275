/**
 * leave_meeting (protocol 4.9), by its retry policy: each attempt bounded, all within 20 s, so
 * that leaving never hangs; the outcome says only what is known.
 */
import { call } from "../api/client";
import { errorCode, type ErrorCode } from "../api/errors";

/**
 * How a leave ended: the server has us as left ("left"), answered that we were not (or no longer)
 * in the meeting ("not-in-meeting"), or could not be told ("unconfirmed": the heartbeat sweep
 * closes the silent participant out, docs/protocol.md `heartbeat`).
 */
export type LeaveOutcome = "left" | "not-in-meeting" | "unconfirmed";

/** Answers to leave_meeting that mean the server does not (or no longer) have us in the meeting. */
const NOT_IN_MEETING: ReadonlySet<ErrorCode> = new Set(["permission-denied", "not-found", "failed-precondition"]);

export function leaveOutcome(code: ErrorCode): LeaveOutcome {
  return NOT_IN_MEETING.has(code) ? "not-in-meeting" : "unconfirmed";
}

export async function sendLeave(meetingId: string): Promise<LeaveOutcome> {
  try {
    await call(
      "leave_meeting",
      { meetingId },
      { onRetry: (code, attempt, error) => console.debug(`leave_meeting failed (${code}, attempt ${attempt}); trying again`, error) },
    );
    return "left";
  } catch (error) {
    const code = errorCode(error);
    const outcome = leaveOutcome(code);
    if (outcome === "not-in-meeting") console.debug(`leave_meeting: ${code}, so not in the meeting any more`);
    else console.warn(`leave_meeting failed (${code}); the server's sweep will close this session out`, error);
    return outcome;
  }
}
