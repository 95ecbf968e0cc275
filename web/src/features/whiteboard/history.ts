/**
 * Undo and redo of our own steps on the board: each kept as the step that reverses it, and
 * replayed through the board's `run`, which returns the step reversing what it did (null when
 * it no longer applies: a stroke someone else took off meanwhile). Steps that no longer apply
 * are dropped on the way to one that does.
 */
export class History<Step> {
  /** What undoes each of our own steps, the last step last. */
  private undoing: Step[] = [];
  /** What redoes each step undone, the last undone last. */
  private redoing: Step[] = [];

  constructor(
    private readonly run: (step: Step) => Step | null,
    private readonly applies: (step: Step) => boolean,
  ) {}

  get canUndo(): boolean {
    return this.undoing.some(this.applies);
  }

  get canRedo(): boolean {
    return this.redoing.some(this.applies);
  }

  undo(): void {
    this.replay(this.undoing, this.redoing);
  }

  redo(): void {
    this.replay(this.redoing, this.undoing);
  }

  /** A step of ours done now: what reverses it is kept, and what redo could bring back goes. */
  did(reverse: Step | null): void {
    if (!reverse) return;
    this.undoing.push(reverse);
    this.redoing = [];
  }

  /** The step the next undo would try first (a run of nudges grows it in place). */
  last(): Step | undefined {
    return this.undoing.at(-1);
  }

  /** Redo forgets what it could bring back (the last step changed in place). */
  forgetRedo(): void {
    this.redoing = [];
  }

  clear(): void {
    this.undoing = [];
    this.redoing = [];
  }

  private replay(from: Step[], to: Step[]): void {
    let step: Step | undefined;
    while ((step = from.pop()) !== undefined) {
      const reverse = this.run(step);
      if (reverse) {
        to.push(reverse);
        return;
      }
    }
  }
}
