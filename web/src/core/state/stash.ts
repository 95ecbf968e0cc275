/**
 * What this tab keeps across a reload (sessionStorage, this tab only): the meeting being attended,
 * so that a reload re-joins at once, and its password.
 */

const ACTIVE_KEY = "avmeets:active-meeting";
const passwordKey = (meetingId: string) => `avmeets:pw:${meetingId}`;

function read(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null | undefined): void {
  try {
    if (value) sessionStorage.setItem(key, value);
    else sessionStorage.removeItem(key);
  } catch {
    /* storage may be disabled */
  }
}

/** The meeting this tab is in, kept across a reload so that it re-joins at once. */
export function activeMeeting(): string | null {
  return read(ACTIVE_KEY);
}

export function setActiveMeeting(meetingId: string | null): void {
  write(ACTIVE_KEY, meetingId);
}

/** The password the creator chose travels to the room page in this tab only. */
export function stashPassword(meetingId: string, password: string): void {
  write(passwordKey(meetingId), password);
}

export function takePassword(meetingId: string): string | undefined {
  return read(passwordKey(meetingId)) ?? undefined;
}

/** Keep the password that worked (a reload re-joins with it); forget one that did not. */
export function keepPassword(meetingId: string, password: string | undefined): void {
  write(passwordKey(meetingId), password);
}
