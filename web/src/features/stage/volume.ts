/**
 * Someone's sound level for us only ("Adjust … volume for me"): a fraction of full volume in
 * steps of 5 %, kept in this page (nobody else hears a difference, nor is told). Pure.
 */

/** The levels a person may pick, in percent. */
export const VOLUME_STEP_PERCENT = 5;

/** `level` (a fraction) as one the slider can show: 0 to 1 in steps of 5 %; not a number is full. */
export function clampVolume(level: number): number {
  if (!Number.isFinite(level)) return 1;
  const steps = Math.round(Math.min(1, Math.max(0, level)) * (100 / VOLUME_STEP_PERCENT));
  return (steps * VOLUME_STEP_PERCENT) / 100;
}

export function volumePercent(level: number): number {
  return Math.round(clampVolume(level) * 100);
}

/** What the element plays at: nothing while muted for us, else the level chosen (full if none). */
export function playbackVolume(mutedForMe: boolean, level: number | undefined): number {
  return mutedForMe ? 0 : clampVolume(level ?? 1);
}

/** The tile's words for it: "" at full volume. */
export function volumeWords(mutedForMe: boolean, level: number | undefined): string {
  if (mutedForMe) return "muted for you";
  const percent = volumePercent(level ?? 1);
  return percent === 100 ? "" : `volume ${percent}% for you`;
}
