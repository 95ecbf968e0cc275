/** What a failed call said: the code, the protocol's `details.reason`, the details. */
import { ERROR_REASONS, type ErrorReason } from "../../protocol.gen";

/** The callable (and Firestore) error codes, without the "functions/" prefix. */
export type ErrorCode =
  | "ok"
  | "cancelled"
  | "unknown"
  | "invalid-argument"
  | "deadline-exceeded"
  | "not-found"
  | "already-exists"
  | "permission-denied"
  | "resource-exhausted"
  | "failed-precondition"
  | "aborted"
  | "out-of-range"
  | "unimplemented"
  | "internal"
  | "unavailable"
  | "data-loss"
  | "unauthenticated";

const CODES: ReadonlySet<string> = new Set<ErrorCode>([
  "ok", "cancelled", "unknown", "invalid-argument", "deadline-exceeded", "not-found",
  "already-exists", "permission-denied", "resource-exhausted", "failed-precondition", "aborted",
  "out-of-range", "unimplemented", "internal", "unavailable", "data-loss", "unauthenticated",
]);
const REASONS: ReadonlySet<string> = new Set(ERROR_REASONS);

export interface CallFailure {
  code: ErrorCode;
  /** The protocol's `details.reason`, when it is one the protocol knows. */
  reason: ErrorReason | undefined;
  details: Readonly<Record<string, unknown>>;
  message: string;
}

/** The error's code, e.g. "permission-denied" (a FunctionsError's "functions/" prefix removed). */
export function errorCode(error: unknown): ErrorCode {
  const code = (error as { code?: unknown } | null)?.code;
  const bare = typeof code === "string" ? code.replace(/^functions\//, "") : "";
  return CODES.has(bare) ? (bare as ErrorCode) : "unknown";
}

export function describeFailure(error: unknown): CallFailure {
  const raw = (error as { details?: unknown } | null)?.details;
  const details = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : {};
  const reason = typeof details.reason === "string" && REASONS.has(details.reason) ? (details.reason as ErrorReason) : undefined;
  const message = (error as { message?: unknown } | null)?.message;
  return { code: errorCode(error), reason, details, message: typeof message === "string" ? message : "" };
}

/** The error a call gets when its attempt ran past its deadline. */
export function deadlineError(ms: number): Error & { code: ErrorCode } {
  return Object.assign(new Error(`no answer within ${ms} ms`), { code: "deadline-exceeded" as const });
}
