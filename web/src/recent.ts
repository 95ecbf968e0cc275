/** Recent meetings, kept in this browser only (localStorage). */
export interface RecentMeeting {
  id: string;
  title: string | null;
  at: number;
}

const KEY = "avmeets:recent";
const MAX = 12;

export function recentMeetings(): RecentMeeting[] {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) || "[]") as RecentMeeting[];
    return Array.isArray(list) ? list.filter((m) => typeof m?.id === "string").slice(0, MAX) : [];
  } catch {
    return [];
  }
}

export function rememberMeeting(id: string, title: string | null): void {
  const list = recentMeetings().filter((m) => m.id !== id);
  const previous = recentMeetings().find((m) => m.id === id);
  list.unshift({ id, title: title ?? previous?.title ?? null, at: Date.now() });
  try {
    localStorage.setItem(KEY, JSON.stringify(list.slice(0, MAX)));
  } catch {
    /* storage may be full or disabled */
  }
}

export function forgetMeeting(id: string): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(recentMeetings().filter((m) => m.id !== id)));
  } catch {
    /* ignore */
  }
}

const ID = /^[a-z]{3}-[a-z]{4}-[a-z]{3}$/;

/** A meeting id from what a person typed: the id, with or without dashes, or a whole link. */
export function parseMeetingId(input: string): string | null {
  let text = input.trim().toLowerCase();
  const fromLink = /\/m\/([a-z-\s]+)/.exec(text);
  if (fromLink) text = fromLink[1];
  text = text.replace(/[\s]/g, "");
  if (ID.test(text)) return text;
  const letters = text.replace(/-/g, "");
  if (/^[a-z]{10}$/.test(letters)) return `${letters.slice(0, 3)}-${letters.slice(3, 7)}-${letters.slice(7)}`;
  return null;
}

export function meetingLink(id: string): string {
  return `${location.origin}/m/${id}`;
}
