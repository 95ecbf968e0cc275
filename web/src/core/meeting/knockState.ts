/**
 * Waiting in a lobby (docs/protocol.md, `knock`): what the knocker does with what it reads of its
 * own knock. Pure.
 */
import type { KnockResult, LobbyState } from "../../protocol.gen";

/** join: call join_meeting now; wait: keep knocking; denied / ended: tell the person; knock: knock anew. */
export type KnockStep = "join" | "wait" | "denied" | "ended" | "knock";

/** The step for our own knock document's state (null: no document yet, or not readable yet). */
export function stepForKnock(state: LobbyState | string | null | undefined): KnockStep {
  switch (state) {
    case "admitted":
      return "join";
    case "denied":
      return "denied";
    case "ended":
      return "ended";
    // The sweep thought we were gone (a sleeping laptop missed its knocks): knock again.
    case "withdrawn":
      return "knock";
    default:
      return "wait";
  }
}

/** The step for what `knock` answered. */
export function stepForResult(result: KnockResult): KnockStep {
  return result.state === "admitted" ? "join" : "wait";
}

/** How a wait ended. */
export type KnockOutcome = "admitted" | "denied" | "ended" | "cancelled";
