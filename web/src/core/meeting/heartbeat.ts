/** The heartbeat callable every `heartbeatSeconds` while in the meeting (docs/protocol.md). */
import { call } from "../api/client";
import { describeFailure, type CallFailure } from "../api/errors";

export class Heartbeat {
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly meetingId: string,
    /** Beat only while this says the session is live. */
    private readonly live: () => boolean,
    private readonly failed: (failure: CallFailure) => void,
  ) {}

  start(seconds: number): void {
    this.stop();
    this.timer = setInterval(() => void this.beat(), seconds * 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async beat(): Promise<void> {
    if (!this.live()) return;
    try {
      await call("heartbeat", { meetingId: this.meetingId });
    } catch (error) {
      this.failed(describeFailure(error));
    }
  }
}
