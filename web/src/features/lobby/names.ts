/**
 * Display names (docs/protocol.md section 5): what the lobby asks for, prefilled from the
 * account's name and never from its e-mail address or phone number, checked as the server
 * checks it. Pure.
 */
import { LIMITS } from "../../protocol.gen";

const EMAIL = /[^\s@]+\s*@\s*[\w-]+(?:\s*\.\s*[\w-]+)+/u;
/** Seven or more digits in a row once spaces, dots, dashes, slashes and brackets are gone. */
const PHONE = /\+?\d{7,}/u;
const PHONE_NOISE = /[\s().\-/]/gu;
// Control, format (bidi overrides among them) and lone surrogate code points.
const CONTROL = /[\p{Cc}\p{Cf}\p{Cs}]/u;

export function normaliseName(text: string): string {
  return text.split(/\s+/u).filter(Boolean).join(" ");
}

/** Whether `text` is, or contains, an e-mail address or a phone number. */
export function looksLikeContact(text: string): boolean {
  return EMAIL.test(text) || PHONE.test(text.replace(PHONE_NOISE, ""));
}

/** Why a typed name cannot be used (in words for the person), or null when it can. */
export function nameProblem(text: string, own: { email?: string | null; phone?: string | null } = {}): string | null {
  const name = normaliseName(text);
  if (!name) return "Enter the name the others will see.";
  // Characters as the server counts them (code points, not UTF-16 units).
  if ([...name].length > LIMITS.displayNameMaxChars) return `Use at most ${LIMITS.displayNameMaxChars} characters.`;
  if (CONTROL.test(name)) return "Use letters, digits and punctuation only.";
  const folded = name.toLowerCase();
  const mine = [own.email, own.phone].filter((c): c is string => !!c).map((c) => c.toLowerCase());
  if (looksLikeContact(name) || mine.some((c) => folded.includes(c))) {
    return "Use a name, not an e-mail address or phone number: everyone in the meeting sees it.";
  }
  return null;
}

/** The lobby's prefilled name: the account's name when it is a usable name, else empty (never
 * the e-mail address or phone number; the person types one, or the server picks "Guest …"). */
export function suggestedName(account: { displayName?: string | null; email?: string | null; phoneNumber?: string | null }): string {
  const name = [...normaliseName(account.displayName ?? "")].slice(0, LIMITS.displayNameMaxChars).join("").trim();
  return name && !nameProblem(name, { email: account.email, phone: account.phoneNumber }) ? name : "";
}
