/**
 * The one retry policy of the client: attempts bounded in number, each bounded in time, all of
 * them within a budget, with exponential backoff and jitter, repeated only for the answers a
 * repeat can fix. Pure decisions (`retryDelay`, `attemptTimeout`) and one loop (`withRetry`).
 */
import { errorCode, type ErrorCode } from "./errors";

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  readonly attempts: number;
  /** Wait before the second attempt; doubled for each further one, with ±25 % jitter. */
  readonly backoffMs: number;
  /** The error codes worth another attempt. */
  readonly retryOn: ReadonlySet<ErrorCode>;
  /** Longest one attempt may take. */
  readonly attemptTimeoutMs: number;
  /** Attempts and waits all end within this (no further attempt would start past it). */
  readonly budgetMs?: number;
}

/** The callable SDK's own default deadline. */
export const DEFAULT_TIMEOUT_MS = 70_000;
/** An attempt is never given less than this, however little budget is left. */
export const MIN_ATTEMPT_MS = 1_000;

export const NO_RETRY: RetryPolicy = {
  attempts: 1,
  backoffMs: 0,
  retryOn: new Set(),
  attemptTimeoutMs: DEFAULT_TIMEOUT_MS,
};

/** How long the next attempt may take, `elapsedMs` into the call. */
export function attemptTimeout(policy: RetryPolicy, elapsedMs: number): number {
  if (policy.budgetMs === undefined) return policy.attemptTimeoutMs;
  return Math.max(MIN_ATTEMPT_MS, Math.min(policy.attemptTimeoutMs, policy.budgetMs - elapsedMs));
}

/**
 * The wait before attempt `attempt + 1` after attempt `attempt` (1-based) failed with `code`,
 * `elapsedMs` into the call; null when there is to be no further attempt. `random` is in [0, 1).
 */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  code: ErrorCode,
  elapsedMs: number,
  random: number,
): number | null {
  if (!policy.retryOn.has(code) || attempt >= policy.attempts) return null;
  const delay = policy.backoffMs * 2 ** (attempt - 1) * (0.75 + random / 2);
  if (policy.budgetMs !== undefined && elapsedMs + delay + MIN_ATTEMPT_MS > policy.budgetMs) return null;
  return delay;
}

export interface RetryHooks {
  /** Checked before each repeat: true gives up (e.g. the page is leaving). */
  stop?: () => boolean;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (code: ErrorCode, attempt: number, error: unknown) => void;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Run `attempt` (given its deadline) until it succeeds or the policy says stop; throws the last error. */
export async function withRetry<T>(
  policy: RetryPolicy,
  run: (timeoutMs: number) => Promise<T>,
  hooks: RetryHooks = {},
): Promise<T> {
  const now = hooks.now ?? (() => performance.now());
  const started = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(attemptTimeout(policy, now() - started));
    } catch (error) {
      const code = errorCode(error);
      const delay = retryDelay(policy, attempt, code, now() - started, (hooks.random ?? Math.random)());
      if (delay === null || hooks.stop?.()) throw error;
      hooks.onRetry?.(code, attempt, error);
      await (hooks.sleep ?? sleep)(delay);
      if (hooks.stop?.()) throw error;
    }
  }
}
