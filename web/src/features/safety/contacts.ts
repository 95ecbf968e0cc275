/**
 * Trust on first use, per contact (uid): the certificate fingerprints a person's safety code
 * came from in earlier meetings, kept in this browser (core/state/deviceDb.ts) and nowhere else.
 * A code seen before is "known" (or "verified", once the person compared it and said so); a
 * code never seen for that person is "changed": a new device or browser, or someone in between.
 */
import { getItem, putItem } from "../../core/state/deviceDb";

export interface Contact {
  uid: string;
  name: string;
  /** Fingerprints accepted for this person (seen first, or accepted after a change). */
  fingerprints: string[];
  /** Fingerprints the person compared and marked as verified. */
  verified: string[];
  firstSeen: number;
  lastSeen: number;
}

export type TrustStatus = "new" | "known" | "verified" | "changed";

/** What a fingerprint means for this contact (pure). */
export function judge(contact: Contact | undefined, fingerprint: string): TrustStatus {
  if (!contact || !contact.fingerprints.length) return "new";
  if (contact.verified.includes(fingerprint)) return "verified";
  return contact.fingerprints.includes(fingerprint) ? "known" : "changed";
}

/** The contact after accepting `fingerprint` (seen first, re-seen, or accepted) (pure). */
export function remember(
  contact: Contact | undefined,
  uid: string,
  name: string,
  fingerprint: string,
  now: number,
  verified = false,
): Contact {
  const base: Contact = contact ?? { uid, name, fingerprints: [], verified: [], firstSeen: now, lastSeen: now };
  const add = (list: string[]) => (list.includes(fingerprint) ? list : [...list, fingerprint]);
  return {
    ...base,
    name,
    lastSeen: now,
    fingerprints: add(base.fingerprints),
    verified: verified ? add(base.verified) : base.verified,
  };
}

async function load(uid: string): Promise<Contact | undefined> {
  return getItem<Contact>("contacts", uid);
}

/** Judge a connection's fingerprint; a first or known one is remembered (a changed one is not,
 * until the person accepts it). */
export async function checkContact(uid: string, name: string, fingerprint: string): Promise<TrustStatus> {
  const contact = await load(uid);
  const status = judge(contact, fingerprint);
  if (status !== "changed") await putItem("contacts", remember(contact, uid, name, fingerprint, Date.now()));
  return status;
}

/** The person compared the codes (verified) or accepts a changed one. */
export async function acceptCode(uid: string, name: string, fingerprint: string, verified: boolean): Promise<TrustStatus> {
  const contact = remember(await load(uid), uid, name, fingerprint, Date.now(), verified);
  await putItem("contacts", contact);
  return judge(contact, fingerprint);
}
