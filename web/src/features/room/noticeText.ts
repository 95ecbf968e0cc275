/** The words of the room's people events (notices.ts says them through core/announce). Pure. */
import type { LinkState } from "../../core/meeting/link";

/** "Bob joined", "Carol left": who came and went between two rosters (uid → name). */
export function rosterNotices(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [uid, name] of after) if (!before.has(uid)) out.push(`${name} joined`);
  for (const [uid, name] of before) if (!after.has(uid)) out.push(`${name} left`);
  // A rename is said with both names: nobody takes another's name unnoticed.
  for (const [uid, name] of after) if (before.has(uid) && before.get(uid) !== name) out.push(`${before.get(uid)} is now ${name}`);
  return out;
}

export interface LinkMood {
  state: LinkState;
  /** The quality problem in words, null when fine. */
  problem: string | null;
}

/** What to say when a connection's state or quality changes; null: nothing worth saying. */
export function linkNotice(before: LinkMood | undefined, after: LinkMood, name: string): string | null {
  if (!before) return null;
  if (after.state !== before.state) {
    if (after.state === "reconnecting") return `Connection to ${name} lost, reconnecting…`;
    if (after.state === "failed") return `Could not reach ${name}. Their network or yours blocks the connection; Try again on their tile joins anew.`;
    if (after.state === "connected" && before.state === "reconnecting") return `Connected to ${name} again`;
    return null;
  }
  if (after.state === "connected" && after.problem && after.problem !== before.problem) {
    return `Connection with ${name}: ${after.problem}`;
  }
  return null;
}

/** "Bob is presenting" / "Bob stopped presenting". */
export function presentingNotice(name: string, presenting: boolean): string {
  return presenting ? `${name} is presenting` : `${name} stopped presenting`;
}

/** A recording's state as a peer tells it: off, on, or paused (nothing recorded meanwhile). */
export type RecordingState = "off" | "on" | "paused";

/** What changed in `name`'s recording, or null: "Bob is recording", "Bob paused recording",
 * "Bob resumed recording", "Bob stopped recording" (a newcomer's first sight of a paused one:
 * "Bob's recording is paused"). */
export function recordingNotice(name: string, before: RecordingState, now: RecordingState): string | null {
  if (now === before) return null;
  if (now === "on") return before === "paused" ? `${name} resumed recording` : `${name} is recording`;
  if (now === "paused") return before === "on" ? `${name} paused recording` : `${name}'s recording is paused`;
  return `${name} stopped recording`;
}
