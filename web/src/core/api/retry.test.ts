import { describe, expect, it } from "vitest";
import { POLICIES } from "./policies";
import { attemptTimeout, NO_RETRY, retryDelay, withRetry } from "./retry";

const leave = POLICIES.leave_meeting;
const report = POLICIES.report_connection;

describe("retryDelay", () => {
  it("doubles the wait per attempt, with ±25 % jitter", () => {
    expect(retryDelay(report, 1, "unavailable", 0, 0.5)).toBe(1000);
    expect(retryDelay(report, 2, "unavailable", 0, 0.5)).toBe(2000);
    expect(retryDelay(report, 3, "unavailable", 0, 0.5)).toBe(4000);
    expect(retryDelay(report, 1, "unavailable", 0, 0)).toBe(750);
    expect(retryDelay(report, 1, "unavailable", 0, 0.999999)).toBeCloseTo(1250, 0);
  });

  it("stops after the last attempt", () => {
    expect(retryDelay(report, 5, "unavailable", 0, 0.5)).toBe(16000);
    expect(retryDelay(report, 6, "unavailable", 0, 0.5)).toBeNull();
  });

  it("repeats only the answers a repeat can fix", () => {
    expect(retryDelay(report, 1, "not-found", 0, 0.5)).toBe(1000);
    expect(retryDelay(report, 1, "permission-denied", 0, 0.5)).toBeNull();
    expect(retryDelay(leave, 1, "not-found", 0, 0.5)).toBeNull();
    expect(retryDelay(leave, 1, "resource-exhausted", 0, 0.5)).toBe(500);
    expect(retryDelay(NO_RETRY, 1, "unavailable", 0, 0.5)).toBeNull();
  });

  it("starts no attempt that could not finish within the budget", () => {
    expect(retryDelay(leave, 2, "internal", 18_500, 0.5)).toBeNull();
    expect(retryDelay(leave, 2, "internal", 17_000, 0.5)).toBe(1000);
  });
});

describe("attemptTimeout", () => {
  it("bounds each attempt, and never below a second", () => {
    expect(attemptTimeout(leave, 0)).toBe(8000);
    expect(attemptTimeout(leave, 15_000)).toBe(5000);
    expect(attemptTimeout(leave, 19_900)).toBe(1000);
    expect(attemptTimeout(report, 1_000_000)).toBe(70_000);
  });
});

describe("withRetry", () => {
  function clock() {
    let now = 0;
    const waits: number[] = [];
    return {
      waits,
      hooks: {
        now: () => now,
        sleep: async (ms: number) => {
          waits.push(ms);
          now += ms;
        },
        random: () => 0.5,
      },
      advance: (ms: number) => (now += ms),
    };
  }
  const failure = (code: string) => Object.assign(new Error(code), { code: `functions/${code}` });

  it("repeats a transient failure and returns the first success", async () => {
    const c = clock();
    const timeouts: number[] = [];
    let calls = 0;
    const result = await withRetry(
      leave,
      async (timeoutMs) => {
        timeouts.push(timeoutMs);
        c.advance(timeoutMs);
        if (++calls < 3) throw failure("deadline-exceeded");
        return "ok";
      },
      c.hooks,
    );
    expect(result).toBe("ok");
    expect(c.waits).toEqual([500, 1000]);
    // 8 s, then 8 s of the 20 s budget, then what is left: 20 - 16 - 1.5 s of waits.
    expect(timeouts).toEqual([8000, 8000, 2500]);
  });

  it("throws the last error once the policy says stop", async () => {
    const c = clock();
    let calls = 0;
    const run = async () => {
      calls++;
      throw failure("unavailable");
    };
    await expect(withRetry(report, run, c.hooks)).rejects.toThrow("unavailable");
    expect(calls).toBe(6);
    expect(c.waits).toEqual([1000, 2000, 4000, 8000, 16000]);
  });

  it("does not repeat a final answer", async () => {
    const c = clock();
    let calls = 0;
    const run = async () => {
      calls++;
      throw failure("permission-denied");
    };
    await expect(withRetry(leave, run, c.hooks)).rejects.toThrow("permission-denied");
    expect(calls).toBe(1);
  });

  it("gives up when told to stop", async () => {
    const c = clock();
    let calls = 0;
    const run = async () => {
      calls++;
      throw failure("unavailable");
    };
    await expect(withRetry(report, run, { ...c.hooks, stop: () => calls >= 2 })).rejects.toThrow();
    expect(calls).toBe(2);
  });
});
