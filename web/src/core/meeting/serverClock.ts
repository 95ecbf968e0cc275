/**
 * The server's clock, as join_meeting's `serverTime` gave it (docs/protocol.md, join_meeting):
 * what the meeting's timers go by (the TURN credential's expiry, breakout rooms closing), since
 * a device clock can be off by hours (a dual-boot machine keeping local time in its hardware
 * clock) and the server's times are not. The offset errs by the answer's trip back.
 */
export class ServerClock {
  private offsetMs = 0;

  /** `serverTime` (epoch ms) just arrived, at `receivedAt` by this device's clock. */
  set(serverTime: unknown, receivedAt: number = Date.now()): void {
    if (typeof serverTime === "number" && Number.isFinite(serverTime)) this.offsetMs = serverTime - receivedAt;
  }

  /** Now by the server's clock (the device's until a join told us otherwise). */
  now(deviceNow: number = Date.now()): number {
    return deviceNow + this.offsetMs;
  }
}
