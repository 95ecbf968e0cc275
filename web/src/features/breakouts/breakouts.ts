/**
 * Breakout rooms (docs/protocol.md section 5): the meeting's `rooms` (names) and each
 * participant's `room` as the server wrote them; hosts open, fill, move and close them with
 * host_action. Everyone stays in the one meeting and connects only within their room (the core
 * meeting joins again when a host moves us). Pure.
 */
import type { Participant } from "../../core/meeting/roster";
import { roomOf } from "../../core/meeting/roster";

export const MAX_ROOMS = 20;
export const MAX_ROOM_NAME = 40;

/** "Room 1" … "Room n". */
export function defaultRoomNames(n: number): string[] {
  return Array.from({ length: Math.max(1, Math.min(MAX_ROOMS, n)) }, (_, i) => `Room ${i + 1}`);
}

/** What is wrong with the rooms' names as typed, or null (docs: 1-40 characters, different). */
export function roomNamesProblem(names: readonly string[]): string | null {
  const trimmed = names.map((n) => n.trim());
  if (trimmed.some((n) => !n)) return "Give every room a name.";
  if (trimmed.some((n) => n.length > MAX_ROOM_NAME)) return `A room's name can be at most ${MAX_ROOM_NAME} characters.`;
  if (new Set(trimmed.map((n) => n.toLowerCase())).size !== trimmed.length) return "Two rooms have the same name.";
  return null;
}

/**
 * Everyone in `uids` spread over `rooms` rooms as evenly as can be, in a shuffled order
 * (`random` in [0, 1), Math.random by default): uid → room number (1-based).
 */
export function spread(uids: readonly string[], rooms: number, random: () => number = Math.random): Record<string, number> {
  const order = [...uids];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return Object.fromEntries(order.map((uid, i) => [uid, (i % Math.max(1, rooms)) + 1]));
}

/** A room and who is in it: `room` null is the main room. */
export interface RoomGroup {
  room: number | null;
  name: string;
  people: Participant[];
}

/** The main room, then each breakout room in order, with the people present in each (by name). */
export function groups(roster: Iterable<Participant>, names: readonly string[]): RoomGroup[] {
  const out: RoomGroup[] = [{ room: null, name: "Main room", people: [] }, ...names.map((name, i) => ({ room: i + 1, name, people: [] as Participant[] }))];
  for (const person of roster) {
    if (person.state !== "joined") continue;
    const room = roomOf(person);
    (out.find((g) => g.room === room) ?? out[0]).people.push(person);
  }
  for (const group of out) group.people.sort((a, b) => a.displayName.localeCompare(b.displayName));
  return out;
}

/** A room's name: "Main room" for null, the room's own name, or "Room n" when unknown. */
export function roomName(room: number | null, names: readonly string[]): string {
  if (room === null) return "Main room";
  return names[room - 1] ?? `Room ${room}`;
}

/** Whether the meeting's room names as read cover every room people are in (the meeting's
 * document and the participants' come by separate listeners, in either order). */
export function roomsNamed(rooms: Iterable<number | null>, names: readonly string[]): boolean {
  for (const room of rooms) if (room !== null && room > names.length) return false;
  return true;
}

/** The empty room's first line: alone, or alone in our room while `elsewhere` people are in others. */
export function aloneText(mine: number | null, elsewhere: number, names: readonly string[]): string {
  if (elsewhere <= 0) return "You are the only one here.";
  return `Nobody else is in ${mine === null ? "the main room" : roomName(mine, names)}: ${elsewhereText(mine, elsewhere)}`;
}

/** The people list's word on those it does not show, in other rooms: "2 people are in breakout rooms". */
export function elsewhereText(mine: number | null, elsewhere: number): string {
  const who = elsewhere === 1 ? "1 person is" : `${elsewhere} people are`;
  return mine === null ? `${who} in breakout rooms.` : `${who} in other rooms.`;
}

/** What to tell us when our own room changes (null: nothing). */
export function movedNotice(before: number | null, after: number | null, names: readonly string[]): string | null {
  if (before === after) return null;
  return after === null ? "You are back in the main room" : `You are in the breakout room ${roomName(after, names)}`;
}

/** What to say of someone else whose room changed, from where we are (null: nothing). */
export function othersMovedNotice(name: string, before: number | null, after: number | null, mine: number | null, names: readonly string[]): string | null {
  if (before === after) return null;
  if (after === mine) return `${name} joined this room`;
  if (before === mine) return `${name} went to ${roomName(after, names)}`;
  return null;
}

/** The timers a host may set when opening rooms, in minutes (0: none; the server takes 1-240). */
export const ROOM_TIMERS = [0, 5, 10, 15, 20, 30, 45, 60, 90, 120] as const;
/** Everyone is told this long before timed rooms close. */
export const CLOSING_WARNING_MS = 60_000;
/** Our reading of the server's clock may be off by a join's round trip: rooms that close within
 * a minute and this much are not offered "Close in 1 minute" again. */
const COUNTDOWN_SLACK_MS = 5_000;

/** Whether "Close in 1 minute" would bring the rooms' closing forward: they close by themselves
 * never (`closeAt` null) or later than a minute from `now` (the server's time, as we read it). */
export function offersCountdown(closeAt: number | null, now: number): boolean {
  return closeAt === null || closeAt - now > CLOSING_WARNING_MS + COUNTDOWN_SLACK_MS;
}

/** The time left until `closeAt` (epoch ms) at `now`, as m:ss (h:mm:ss past an hour; 0:00 once due). */
export function timeLeft(closeAt: number, now: number): string {
  const seconds = Math.max(0, Math.ceil((closeAt - now) / 1000));
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
  const ss = String(s).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** What a page does about timed rooms at `now`: warn (once, a minute before), close (a host's
 * page, once due), or wait `inMs` until the next of those. */
export function timerStep(closeAt: number, now: number, warned: boolean): { warn: boolean; close: boolean; inMs: number } {
  const left = closeAt - now;
  const warn = !warned && left <= CLOSING_WARNING_MS && left > 0;
  const next = left > CLOSING_WARNING_MS && !warned ? left - CLOSING_WARNING_MS : left;
  return { warn, close: left <= 0, inMs: Math.max(0, next) };
}

/** Someone in a breakout room asking the hosts to come (`host_action` `ask-help`). */
export interface HelpCall {
  uid: string;
  name: string;
  room: number;
  roomName: string;
  /** Since when (epoch ms, the server's clock). */
  at: number;
  /** A host answered it "later": the hosts are busy, it stands. */
  later: boolean;
}

/** Who asks for help now, in which room, the longest waiting first (people present in a room only). */
export function helpCalls(roster: Iterable<Participant>, names: readonly string[]): HelpCall[] {
  const calls: HelpCall[] = [];
  for (const person of roster) {
    const room = roomOf(person);
    if (person.state !== "joined" || room === null || person.helpAt === undefined) continue;
    calls.push({ uid: person.uid, name: person.displayName, room, roomName: roomName(room, names), at: person.helpAt, later: !!person.helpLater });
  }
  return calls.sort((a, b) => a.at - b.at || a.uid.localeCompare(b.uid));
}

/** One call, told from the same person's next one (asked again after a cancel). */
const helpCallKey = (call: Pick<HelpCall, "uid" | "at">): string => `${call.uid}@${call.at}`;

/** The calls in `now` that were not in `before` (a call asked again after a cancel is new). */
export function newHelpCalls(before: readonly HelpCall[], now: readonly HelpCall[]): HelpCall[] {
  const known = new Set(before.map(helpCallKey));
  return now.filter((call) => !known.has(helpCallKey(call)));
}

/** What the hosts are told of a call: "Ann asks for help in Red". */
export function helpCallText(call: Pick<HelpCall, "name" | "roomName">): string {
  return `${call.name} asks for help in ${call.roomName}`;
}
