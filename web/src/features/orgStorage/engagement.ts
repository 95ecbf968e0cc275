/**
 * Counts the local person's engagement for their organisation (sent with attendance when it
 * opted in to engagement): milliseconds the tab was visible, visible and focused, the camera on,
 * the microphone on. Pure: each change comes with the time it happened (ms, any monotonic clock).
 */
import { LIMITS, type Engagement } from "../../protocol.gen";

export interface EngagementState {
  visible: boolean;
  focused: boolean;
  camera: boolean;
  mic: boolean;
}

type Totals = Record<keyof EngagementState, number>;

export class EngagementCounter {
  private state: EngagementState;
  private since: number;
  private readonly totals: Totals = { visible: 0, focused: 0, camera: 0, mic: 0 };

  constructor(initial: EngagementState, now: number) {
    this.state = { ...initial };
    this.since = now;
  }

  /** Some of the state changed at `now` (a time before the last change counts as the last change). */
  update(change: Partial<EngagementState>, now: number): void {
    this.accrue(now);
    this.state = { ...this.state, ...change };
  }

  /** The figures so far, whole milliseconds, within the protocol's bound. */
  read(now: number): Engagement {
    this.accrue(now);
    const ms = (value: number) => Math.min(LIMITS.engagementMaxMs, Math.max(0, Math.round(value)));
    return { visibleMs: ms(this.totals.visible), focusedMs: ms(this.totals.focused), cameraOnMs: ms(this.totals.camera), micOnMs: ms(this.totals.mic) };
  }

  private accrue(now: number): void {
    const elapsed = Math.max(0, now - this.since);
    this.since = Math.max(this.since, now);
    const { visible, focused, camera, mic } = this.state;
    if (visible) this.totals.visible += elapsed;
    // Focus counts only while the tab is seen: a focused window showing another tab is not attention.
    if (visible && focused) this.totals.focused += elapsed;
    if (camera) this.totals.camera += elapsed;
    if (mic) this.totals.mic += elapsed;
  }
}
