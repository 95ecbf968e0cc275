/**
 * The ICE restarts of one connection (docs/protocol.md section 4, step 7): a connection that
 * fails, or stays disconnected, is restarted before it is given up.
 *
 * A restart is tried again every `waitMs` while the connection does not come back, because
 * nothing else would try it: Chromium leaves a connection whose restart found no path in
 * `failed`, with no further state change to act on (a relay down for good: the tile said
 * "Reconnecting…" for ever). After `max` restarts in a row the connection is given up, once;
 * connecting gives it `max` again.
 */
export const MAX_ICE_RESTARTS = 4;
export const RESTART_WAIT_MS = 15_000;

export class IceRestarts {
  private count = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private over = false;

  /** `restart`: restart ICE now, false if it may not (closed, given up, a re-join instead);
   * `giveUp`: the connection is given up; `up`: whether it is connected (a restart on a
   * network change goes by without a state change when the connection stays up). */
  constructor(
    private readonly restart: () => boolean,
    private readonly giveUp: () => void,
    private readonly up: () => boolean,
    private readonly waitMs = RESTART_WAIT_MS,
    private readonly max = MAX_ICE_RESTARTS,
  ) {}

  /** Restart now (failed, disconnected a while, a network change), and again after `waitMs`
   * unless connected by then; false when no restart was made. The restart after the `max`th
   * in a row gives the connection up instead. */
  now(): boolean {
    if (this.over) return false;
    if (this.count >= this.max) {
      this.stop();
      this.giveUp();
      return false;
    }
    this.clear();
    if (!this.restart()) return false; // closed, given up, or re-joining instead
    this.count++;
    this.timer = setTimeout(() => this.expired(), this.waitMs);
    return true;
  }

  /** Connected: later trouble gets its own `max` restarts. */
  connected(): void {
    this.count = 0;
    this.clear();
  }

  stop(): void {
    this.over = true;
    this.clear();
  }

  private expired(): void {
    this.timer = null;
    if (this.up()) this.connected();
    else this.now();
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
