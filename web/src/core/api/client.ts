/**
 * The typed client of docs/protocol.md's callables: `call("join_meeting", {meetingId})` checks the
 * name, the request and the result against protocol.gen.ts, and repeats a failed call by the
 * callable's retry policy (policies.ts, retry.ts). Errors are the SDK's FunctionsError; read them with
 * describeFailure (errors.ts).
 */
import { httpsCallable } from "firebase/functions";
import { functions } from "../../firebase";
import type { CallableName, Callables } from "../../protocol.gen";
import { deadlineError } from "./errors";
import { POLICIES } from "./policies";
import { withRetry, type RetryHooks, type RetryPolicy } from "./retry";

/** `promise`, or a deadline-exceeded error after `ms` (covers what the callable's timeout does not). */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(deadlineError(ms)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

export async function call<K extends CallableName>(
  name: K,
  data: Callables[K]["request"],
  hooks: RetryHooks = {},
  policy: RetryPolicy = POLICIES[name],
): Promise<Callables[K]["result"]> {
  return withRetry(
    policy,
    async (timeoutMs) => {
      const callable = httpsCallable<Callables[K]["request"], Callables[K]["result"]>(functions, name, { timeout: timeoutMs });
      return (await within(callable(data), timeoutMs + 1_000)).data;
    },
    hooks,
  );
}
