/**
 * Waiting in a meeting's lobby (docs/protocol.md, `knock`): knock, watch our own knock document
 * until a host answers, knock again every heartbeatSeconds meanwhile (so the hosts never see a
 * closed tab waiting), and give up with leave_meeting when the person cancels.
 */
import { signal } from "@preact/signals-core";
import { doc, onSnapshot, type Unsubscribe } from "firebase/firestore";
import type { KnockRequest, KnockResult } from "../../protocol.gen";
import { call } from "../api/client";
import { sendLeave } from "./leave";
import { stepForKnock, stepForResult, type KnockOutcome, type KnockStep } from "./knockState";
import { db } from "./signalling";

export class Knock {
  /** "waiting" while a host has not answered. */
  readonly state = signal<"knocking" | "waiting" | KnockOutcome>("knocking");
  private timer: ReturnType<typeof setInterval> | null = null;
  private unsubscribe: Unsubscribe | null = null;
  private settle: ((outcome: KnockOutcome) => void) | null = null;
  /** The knock call under way, if any: a withdrawal waits for it, or the knock would land after
   * the withdrawal and put the person back in the queue. */
  private inFlight: Promise<unknown> | null = null;

  constructor(
    readonly meetingId: string,
    readonly myUid: string,
    private readonly request: Omit<KnockRequest, "meetingId">,
  ) {}

  /** Knock and wait; resolves when a host answered, the meeting ended, or cancel() was called.
   * Throws what the first knock threw (a wrong password, a locked meeting, a refusal). */
  async wait(): Promise<KnockOutcome> {
    const first = await this.knock();
    // Cancelled while the first knock was under way: cancel() withdraws it once it has landed.
    if (this.state.peek() === "cancelled") return "cancelled";
    if (stepForResult(first) === "join") return this.finish("admitted");
    const done = new Promise<KnockOutcome>((resolve) => (this.settle = resolve));
    this.state.value = "waiting";
    this.timer = setInterval(() => void this.renew(), Math.max(1, first.heartbeatSeconds) * 1000);
    this.unsubscribe = onSnapshot(
      doc(db(), "meetings", this.meetingId, "lobby", this.myUid),
      { includeMetadataChanges: true },
      (snapshot) => {
        // Only what the server confirmed: the cache may still hold an earlier knock's answer
        // (admitted before a host removed us), which would send us to a join that is refused.
        if (snapshot.metadata.fromCache) return;
        this.step(stepForKnock(snapshot.get("state") as string | undefined));
      },
      (error) => console.debug("the knock listener stopped; knocks go on", error),
    );
    return done;
  }

  /** The person gives up: stop, and withdraw the knock (leave_meeting). */
  async cancel(): Promise<void> {
    if (this.state.peek() !== "waiting" && this.state.peek() !== "knocking") return;
    this.finish("cancelled");
    await this.inFlight?.catch(() => undefined);
    await sendLeave(this.meetingId);
  }

  private knock(): Promise<KnockResult> {
    const pending = call("knock", { meetingId: this.meetingId, ...this.request });
    this.inFlight = pending;
    void pending
      .catch(() => undefined)
      .finally(() => {
        if (this.inFlight === pending) this.inFlight = null;
      });
    return pending;
  }

  private async renew(): Promise<void> {
    try {
      this.step(stepForResult(await this.knock()));
    } catch (error) {
      // Denied or ended meanwhile: the knock document says so too, and the listener acts.
      console.debug("knocking again failed", error);
    }
  }

  private step(step: KnockStep): void {
    if (this.state.peek() !== "waiting") return;
    if (step === "join") this.finish("admitted");
    else if (step === "denied" || step === "ended") this.finish(step);
    else if (step === "knock") void this.renew();
  }

  private finish(outcome: KnockOutcome): KnockOutcome {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.state.value = outcome;
    this.settle?.(outcome);
    this.settle = null;
    return outcome;
  }
}
