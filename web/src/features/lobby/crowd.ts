/**
 * Joining a crowded meeting with the microphone off, as Meet does: from JOIN_MUTED_FROM people
 * present, the lobby turns a microphone that is on off for this meeting (the saved choice stays)
 * and says why, unless the person chose in the lobby already. Pure.
 */

/** How many people already in the meeting make a newcomer join muted. */
export const JOIN_MUTED_FROM = 5;

/** What the lobby says when it turned the microphone off for `present` people already in the
 * meeting; null below the threshold or when unknown (a password hides the meeting until joined). */
export function joinMutedNotice(present: number | null | undefined): string | null {
  if (typeof present !== "number" || present < JOIN_MUTED_FROM) return null;
  return `Your microphone is off: ${present} people are already in this meeting. Turn it on to speak.`;
}
