/**
 * Recordings live in this browser for as long as the person chose (default 7 days), then go;
 * the day before, they are told (pure: expiry.test.ts).
 */
import type { RecordingMeta } from "./store";

export const KEEP_CHOICES = [1, 3, 7, 14, 30] as const;
export const DEFAULT_KEEP_DAYS = 7;
const DAY_MS = 24 * 3600 * 1000;
/** How long before deletion the person is told. */
export const NOTICE_MS = DAY_MS;

export function expiresAt(meta: Pick<RecordingMeta, "startedAt">, keepDays: number): number {
  return meta.startedAt + keepDays * DAY_MS;
}

export interface SweepPlan {
  /** Past their time: deleted now. */
  expired: RecordingMeta[];
  /** Going within NOTICE_MS: the person is told. */
  soon: RecordingMeta[];
}

export function sweepPlan(metas: readonly RecordingMeta[], now: number, keepDays: number): SweepPlan {
  const plan: SweepPlan = { expired: [], soon: [] };
  for (const meta of metas) {
    const end = expiresAt(meta, keepDays);
    if (end <= now) plan.expired.push(meta);
    else if (end - now <= NOTICE_MS) plan.soon.push(meta);
  }
  return plan;
}

export function validKeepDays(value: unknown): number {
  const n = Number(value);
  return (KEEP_CHOICES as readonly number[]).includes(n) ? n : DEFAULT_KEEP_DAYS;
}
