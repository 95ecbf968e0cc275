/**
 * Push to talk: while the microphone is off, holding Ctrl+Space turns it on, and letting go turns
 * it off again (as Teams; Zoom's bare Space would fight the focused button's own Space). Not
 * on when it was on already; a microphone turned off by hand meanwhile stays off. Pure: the keys
 * in, the microphone through `mic`.
 */

export interface Mic {
  isOn(): boolean;
  set(on: boolean): void;
}

export interface Key {
  code: string;
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  repeat: boolean;
}

export class PushToTalk {
  private holding = false;

  constructor(private readonly mic: Mic) {}

  get active(): boolean {
    return this.holding;
  }

  /** A key went down; true when it was ours (the page must not act on it too). */
  down(event: Key): boolean {
    if (event.code !== "Space" || !event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return false;
    if (event.repeat || this.holding) return true;
    if (this.mic.isOn()) return true; // nothing to hold: already heard
    this.holding = true;
    this.mic.set(true);
    return true;
  }

  /** A key went up: letting go of Space or Ctrl ends it. */
  up(event: Pick<Key, "code" | "key">): void {
    if (event.code === "Space" || event.key === "Control") this.release();
  }

  /** The window lost focus (keys let go elsewhere never come back): end it. */
  release(): void {
    if (!this.holding) return;
    this.holding = false;
    if (this.mic.isOn()) this.mic.set(false);
  }
}
