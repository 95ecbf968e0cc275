/**
 * What this browser knows of each connection's safety code: new, known, verified or changed
 * (contacts.ts), published as a signal for the warnings and the safety dialog. One per page:
 * a page shows one room.
 */
import { effect, signal } from "@preact/signals-core";
import type { RoomSession } from "../room/session";
import { acceptCode, checkContact, type TrustStatus } from "./contacts";

export interface Trust {
  status: TrustStatus;
  fingerprint: string;
  /** The person closed the warning for this code. */
  dismissed?: boolean;
}

export const trust = signal<ReadonlyMap<string, Trust>>(new Map());

function set(uid: string, value: Trust): void {
  trust.value = new Map(trust.peek()).set(uid, value);
}

/** Judge every connection's certificate as its safety code becomes known; returns the stop. */
export function watchTrust(session: RoomSession): () => void {
  const judging = new Set<string>();
  trust.value = new Map(); // a new room: judged afresh (the contacts themselves are kept)
  return effect(() => {
    for (const [uid, link] of session.meeting.peers.value) {
      const fingerprint = link.view.value.safety?.remoteFingerprint;
      const key = `${uid}\n${fingerprint}`;
      if (!fingerprint || trust.peek().get(uid)?.fingerprint === fingerprint || judging.has(key)) continue;
      judging.add(key);
      const name = session.meeting.displayName(uid);
      checkContact(uid, name, fingerprint)
        .then((status) => set(uid, { status, fingerprint }))
        .catch((error: unknown) => console.warn("the safety code could not be checked", error))
        .finally(() => judging.delete(key));
    }
  });
}

/** "The codes match": remembered as verified for this person. */
export async function markVerified(uid: string, name: string): Promise<void> {
  const current = trust.peek().get(uid);
  if (!current) return;
  set(uid, { status: await acceptCode(uid, name, current.fingerprint, true), fingerprint: current.fingerprint });
}

export function dismissWarning(uid: string): void {
  const current = trust.peek().get(uid);
  if (current) set(uid, { ...current, dismissed: true });
}
