/**
 * Dates and times as every screen writes them: the reader's locale, a medium date and a short
 * time ("8 May 2026, 12:00" in en-GB), so a recording's date on one page reads like a meeting's
 * on another.
 */
const STYLE = { dateStyle: "medium", timeStyle: "short" } as const;

/** `at` (epoch ms, an ISO string or a Date) in the reader's time zone, or in UTC, labelled, for
 * what the server recorded. */
export function formatDateTime(at: number | string | Date, options: { locale?: string; utc?: boolean } = {}): string {
  const date = at instanceof Date ? at : new Date(at);
  if (options.utc) return `${date.toLocaleString(options.locale, { ...STYLE, timeZone: "UTC" })} UTC`;
  return date.toLocaleString(options.locale, STYLE);
}
