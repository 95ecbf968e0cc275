/** The person's answer to "may we count visits?", kept in this browser only. */

export type Consent = "granted" | "denied";
const KEY = "avmeets:analytics-consent";

export function consent(): Consent | null {
  try {
    const value = localStorage.getItem(KEY);
    return value === "granted" || value === "denied" ? value : null;
  } catch {
    return "denied"; // no storage: never ask again and again, never count
  }
}

export function setConsent(value: Consent): void {
  try {
    localStorage.setItem(KEY, value);
  } catch {
    /* storage refused: the answer lasts for this page only */
  }
}
