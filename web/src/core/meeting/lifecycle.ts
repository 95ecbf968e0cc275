/**
 * The one lifecycle of a meeting session, as an explicit state machine:
 *
 *   idle ──join──▶ joining ──joined──▶ joined ──rejoin──▶ rejoining ──joined──▶ joined
 *     ▲              │ join-failed        │ end               │ end / join-failed (retried)
 *     └──────────────┘                    ▼                   ▼
 *                                       ended ◀───────────────┘
 *   joining / joined / rejoining ──leave──▶ leaving ──left──▶ left;   idle / ended ──leave──▶ (no call)
 *
 * Pure: `transition` says where an event leads (null: the event does not apply and is ignored);
 * `Lifecycle` holds the phase and answers the questions the session asks of it.
 */
import { signal, type ReadonlySignal } from "@preact/signals-core";

export type Phase = "idle" | "joining" | "joined" | "rejoining" | "leaving" | "left" | "ended";

export type LifecycleEvent =
  /** join_meeting sent by the person (lobby, password prompt, retry). */
  | "join"
  /** join_meeting answered. */
  | "joined"
  | "join-failed"
  /** The server closed this session out, or a listener was refused: join again. */
  | "rejoin"
  /** The server ended the meeting, or this session was replaced elsewhere. */
  | "end"
  | "leave"
  /** leave_meeting answered (or gave up). */
  | "left";

const TRANSITIONS: Readonly<Record<Phase, Partial<Record<LifecycleEvent, Phase>>>> = {
  idle: { join: "joining", leave: "left" },
  joining: { joined: "joined", "join-failed": "idle", leave: "leaving" },
  joined: { rejoin: "rejoining", end: "ended", leave: "leaving" },
  rejoining: { joined: "joined", "join-failed": "rejoining", end: "ended", leave: "leaving" },
  // A join answered while leaving changes nothing: the leave still tells the server.
  leaving: { joined: "leaving", "join-failed": "leaving", left: "left", leave: "leaving" },
  left: { leave: "left" },
  ended: { leave: "ended" },
};

export function transition(phase: Phase, event: LifecycleEvent): Phase | null {
  return TRANSITIONS[phase][event] ?? null;
}

/** What leaving has to do, decided by the phase it starts from. */
export type LeavePlan = "tell-server" | "nothing";

export function leavePlan(from: Phase): LeavePlan {
  return from === "joining" || from === "joined" || from === "rejoining" ? "tell-server" : "nothing";
}

export class Lifecycle {
  private readonly current = signal<Phase>("idle");
  /** Every phase change, oldest first (for debugging and tests). */
  readonly history: Phase[] = ["idle"];

  get phase(): ReadonlySignal<Phase> {
    return this.current;
  }

  get value(): Phase {
    return this.current.peek();
  }

  /** Apply `event`; false (and no change) when it does not apply in this phase. */
  send(event: LifecycleEvent): boolean {
    const next = transition(this.current.peek(), event);
    if (next === null) return false;
    if (next !== this.current.peek()) {
      this.current.value = next;
      this.history.push(next);
    }
    return true;
  }

  /** In the meeting with a live session: heartbeats, listeners and re-joins apply. */
  get live(): boolean {
    return this.value === "joined";
  }

  /** Leaving, left or ended: nothing more is sent or applied. */
  get over(): boolean {
    const phase = this.value;
    return phase === "leaving" || phase === "left" || phase === "ended";
  }
}

/** Why a session ended, and what to tell the person. */
export interface Ending {
  reason: "meeting-ended" | "meeting-gone" | "meeting-full" | "meeting-locked" | "removed" | "joined-elsewhere";
  message: string;
}

export const ENDINGS = {
  "meeting-ended": { reason: "meeting-ended", message: "The meeting has ended." },
  removed: { reason: "removed", message: "A host removed you from the meeting." },
  "meeting-locked": { reason: "meeting-locked", message: "The meeting was locked while you were disconnected." },
  "meeting-gone": { reason: "meeting-gone", message: "This meeting no longer exists." },
  "meeting-full": { reason: "meeting-full", message: "The meeting is full now." },
  "joined-elsewhere": { reason: "joined-elsewhere", message: "You joined this meeting from another window or device." },
} as const satisfies Record<Ending["reason"], Ending>;

/** The server itself ended our connections' CDR legs (a host removed us or ended the meeting, or
 * the meeting is gone): it takes no more reports from us, so none are sent. */
export function serverEndedLegs(ending: Ending): boolean {
  return ending.reason === "removed" || ending.reason === "meeting-ended" || ending.reason === "meeting-gone";
}

/** A failed re-join (or heartbeat): the ending it means, or null when it is worth trying again later. */
export function rejoinFailure(code: string, reason: string | undefined): Ending | null {
  if (code === "failed-precondition" && reason === "meeting-ended") return ENDINGS["meeting-ended"];
  // Only a removal makes someone who was in the meeting knock (or be denied) again.
  if (reason === "removed" || (code === "permission-denied" && (reason === "knock-required" || reason === "denied"))) return ENDINGS.removed;
  if (code === "failed-precondition" && reason === "meeting-locked") return ENDINGS["meeting-locked"];
  if (code === "not-found") return ENDINGS["meeting-gone"];
  if (code === "resource-exhausted" && reason === "meeting-full") return ENDINGS["meeting-full"];
  return null;
}
