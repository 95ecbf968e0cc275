/**
 * The retry policies (retry.ts) of each callable and of the signal deletes: how often, how long
 * and on which answers to repeat them.
 */
import type { CallableName } from "../../protocol.gen";
import type { ErrorCode } from "./errors";
import { DEFAULT_TIMEOUT_MS, NO_RETRY, type RetryPolicy } from "./retry";

/** Failures a repeat can fix: the server or the network (a failed fetch is "internal"). */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set(["unavailable", "deadline-exceeded", "internal", "unknown", "aborted"]);

/**
 * Per callable. create_meeting and heartbeat are not repeated here: a person creates again, the
 * next beat repeats a heartbeat.
 */
export const POLICIES: Readonly<Record<CallableName, RetryPolicy>> = {
  create_meeting: NO_RETRY,
  // Once, after a lost request or answer ("internal": the fetch failed) or a contended meeting
  // (docs/protocol.md: retry). If the lost answer was a join that happened, the repeat is a
  // re-join: the first session ends "rejoined" and this one is the meeting's.
  join_meeting: {
    attempts: 2,
    backoffMs: 500,
    retryOn: new Set<ErrorCode>(["internal", "unavailable"]),
    attemptTimeoutMs: DEFAULT_TIMEOUT_MS,
  },
  heartbeat: NO_RETRY,
  // The organisation's archive (features/orgStorage): a repeat after a lost answer finds the
  // archive the first attempt made (the server knows a chat batch by its content; attendance is
  // one record a session); the batcher sends what finally failed again, unchanged.
  archive: { attempts: 3, backoffMs: 1_000, retryOn: TRANSIENT, attemptTimeoutMs: 20_000 },
  // Opens a resumable upload session; a repeat after a lost answer leaves an unused session.
  upload_object: { attempts: 3, backoffMs: 1_000, retryOn: TRANSIENT, attemptTimeoutMs: 20_000 },
  // get and export read; set is given ORG_ADMIN_SET_POLICY (a repeat would record the change twice).
  org_admin: { attempts: 2, backoffMs: 500, retryOn: TRANSIENT, attemptTimeoutMs: 60_000 },
  // A waiting knocker knocks again every heartbeatSeconds anyway.
  knock: NO_RETRY,
  // A repeated host action changes nothing more ("changed": false).
  host_action: { attempts: 3, backoffMs: 500, retryOn: TRANSIENT, attemptTimeoutMs: 15_000 },
  // A repeated rename changes nothing more ("changed": false); the person waits for it.
  rename: { attempts: 2, backoffMs: 500, retryOn: TRANSIENT, attemptTimeoutMs: 15_000 },
  // A read: repeated on transient failures, briefly (the lobby waits for it).
  meeting_info: { attempts: 2, backoffMs: 300, retryOn: TRANSIENT, attemptTimeoutMs: 6_000 },
  // The signal trigger may not have recorded the leg yet ("not-found"); the server ignores a
  // status it already has, so a repeat is harmless. Six attempts (waits of 1, 2, 4, 8 and 16 s):
  // a report given up is a hole in the CDR, and a trigger can run seconds late under load (a
  // browser test on a loaded machine lost a side's `connected` with four, over 7 s).
  report_connection: {
    attempts: 6,
    backoffMs: 1_000,
    retryOn: new Set<ErrorCode>(["not-found", "unavailable", "aborted", "internal", "deadline-exceeded"]),
    attemptTimeoutMs: 70_000,
  },
  // Reading one's own data changes nothing; deleting it is idempotent (docs/protocol.md).
  my_data: { attempts: 3, backoffMs: 500, retryOn: TRANSIENT, attemptTimeoutMs: 60_000 },
  delete_me: { attempts: 3, backoffMs: 1_000, retryOn: TRANSIENT, attemptTimeoutMs: 120_000 },
  // Protocol 4.9: bounded attempts, all within 20 s, so that leaving never hangs.
  leave_meeting: {
    attempts: 4,
    backoffMs: 500,
    retryOn: new Set<ErrorCode>([...TRANSIENT, "resource-exhausted"]),
    attemptTimeoutMs: 8_000,
    budgetMs: 20_000,
  },
};

/** org_admin "set": repeated only when the server surely did nothing (busy or contended). */
export const ORG_ADMIN_SET_POLICY: RetryPolicy = {
  attempts: 2,
  backoffMs: 500,
  retryOn: new Set<ErrorCode>(["unavailable"]),
  attemptTimeoutMs: 30_000,
};

/** Deleting an applied signal is idempotent, so the answers a busy database gives are repeated. */
export const SIGNAL_DELETE_POLICY: RetryPolicy = {
  attempts: 4,
  backoffMs: 200,
  retryOn: new Set<ErrorCode>(["aborted", "unavailable", "deadline-exceeded"]),
  attemptTimeoutMs: 10_000,
};
