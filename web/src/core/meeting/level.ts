/** A microphone's level in numbers: pure (levelMeter.ts measures, the meters show). */

/** The RMS of one block of samples (-1..1). */
export function rms(samples: ArrayLike<number>): number {
  if (!samples.length) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
  return Math.sqrt(sum / samples.length);
}

/** What a level meter shows for an RMS level: 0-100 on a decibel scale, -60 dB (silence) to -12 dB. */
export function meterPercent(level: number): number {
  if (level <= 0) return 0;
  const db = 20 * Math.log10(level);
  return Math.round(Math.min(100, Math.max(0, ((db + 60) / 48) * 100)));
}

/** The next shown value: up at once, down slowly, so a short sound stays visible a moment. */
export function meterStep(shown: number, measured: number, fall = 0.75): number {
  return measured >= shown ? measured : Math.max(measured, Math.floor(shown * fall));
}
