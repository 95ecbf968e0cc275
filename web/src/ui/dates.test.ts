import { describe, expect, it } from "vitest";
import { formatDateTime } from "./dates";

describe("formatDateTime", () => {
  const at = Date.UTC(2026, 4, 8, 12, 0);

  it("writes a medium date and a short time in the locale asked for", () => {
    expect(formatDateTime(at, { locale: "en-GB", utc: true })).toBe("8 May 2026, 12:00 UTC");
    expect(formatDateTime(new Date(at), { locale: "en-US", utc: true })).toBe("May 8, 2026, 12:00 PM UTC");
    expect(formatDateTime("2026-05-08T12:00:00Z", { locale: "en-GB", utc: true })).toBe("8 May 2026, 12:00 UTC");
  });

  it("uses the reader's time zone unless asked for UTC", () => {
    const local = new Date(at).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
    expect(formatDateTime(at, { locale: "en-GB" })).toBe(local);
    expect(formatDateTime(at, { locale: "en-GB" })).not.toContain("UTC");
  });
});
