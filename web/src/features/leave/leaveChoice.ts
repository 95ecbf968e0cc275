/**
 * What leaving means for someone who runs the meeting (the Leave button's question). Pure: the
 * roster in, the choice out.
 */
import type { ParticipantRole } from "../../protocol.gen";
import { runsMeeting } from "../hosts/controls";

export interface Present {
  uid: string;
  displayName: string;
  role: ParticipantRole;
}

export interface LeaveChoice {
  /** How many others are present (they stay when we just leave). */
  others: number;
  /** The others present who run the meeting (they let people in while we are away). */
  runners: readonly Present[];
  /** How many wait in the lobby to be let in now. */
  waiting: number;
  /** We are the host and could name a co-host before leaving (co-hosts cannot). */
  canNameCohost: boolean;
}

/**
 * Null when the Leave button should just leave: we do not run the meeting, or nobody else is
 * here nor waiting to be let in (nobody to end it for; the meeting stays open to rejoin).
 */
export function leaveChoice(myUid: string, present: Iterable<Present>, waiting = 0): LeaveChoice | null {
  let me: Present | undefined;
  const others: Present[] = [];
  for (const person of present) {
    if (person.uid === myUid) me = person;
    else others.push(person);
  }
  if (!me || !runsMeeting(me.role) || (others.length === 0 && waiting === 0)) return null;
  const runners = others.filter((person) => runsMeeting(person.role));
  return { others: others.length, runners, waiting, canNameCohost: me.role === "host" && runners.length === 0 && others.length > 0 };
}

/**
 * The question's sentence, kept true while it is open: the others may all leave, or a host may
 * make us a participant again (then there is nothing to end: `choice` is null either way).
 */
export function leaveSentence(choice: LeaveChoice | null, stillRuns: boolean): string {
  if (choice) return leaveConsequence(choice);
  return stillRuns ? "Everyone else has left." : "You no longer run this meeting: it goes on without you.";
}

/** What happens if we just leave. */
export function leaveConsequence(choice: LeaveChoice): string {
  const { runners, waiting } = choice;
  if (runners.length === 0) {
    const lobby = waiting === 1 ? "1 person waiting to join goes on waiting" : `${waiting} people waiting to join go on waiting`;
    if (choice.others === 0) return `Nobody will be here to let people in: ${lobby}.`;
    const nobody = "Nobody else here can let people in or run the meeting while you are away.";
    return waiting ? `${nobody} ${lobby[0].toUpperCase()}${lobby.slice(1)}.` : nobody;
  }
  const [first] = runners;
  if (runners.length === 1) return `The meeting goes on: ${first.displayName} (${first.role === "host" ? "host" : "co-host"}) runs it while you are away.`;
  return `The meeting goes on: ${first.displayName} and ${runners.length - 1} more run it while you are away.`;
}
