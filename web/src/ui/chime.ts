/** The test sound of Devices and the knock cue: a short two-note chime as a WAV file, made here (nothing fetched). Pure. */

const RATE = 22050;
/** Each note: its pitch and how long it sounds. */
const NOTES: readonly [hz: number, seconds: number][] = [
  [660, 0.25],
  [880, 0.4],
];
const PEAK = 0.5; // of full scale: clearly heard, never harsh

/** 16-bit mono PCM in a RIFF/WAVE container. */
export function chimeWav(rate = RATE): Uint8Array<ArrayBuffer> {
  const samples: number[] = [];
  for (const [hz, seconds] of NOTES) {
    const n = Math.round(seconds * rate);
    for (let i = 0; i < n; i++) {
      // A quick rise and a long fall: no click at either end of a note.
      const envelope = Math.min(1, i / (0.01 * rate)) * (1 - i / n) ** 2;
      samples.push(Math.sin((2 * Math.PI * hz * i) / rate) * envelope * PEAK);
    }
  }
  const data = samples.length * 2;
  const wav = new DataView(new ArrayBuffer(44 + data));
  const text = (at: number, s: string) => [...s].forEach((c, i) => wav.setUint8(at + i, c.charCodeAt(0)));
  text(0, "RIFF");
  wav.setUint32(4, 36 + data, true);
  text(8, "WAVE");
  text(12, "fmt ");
  wav.setUint32(16, 16, true); // the format chunk's size
  wav.setUint16(20, 1, true); // PCM
  wav.setUint16(22, 1, true); // mono
  wav.setUint32(24, rate, true);
  wav.setUint32(28, rate * 2, true); // bytes a second
  wav.setUint16(32, 2, true); // bytes a frame
  wav.setUint16(34, 16, true); // bits a sample
  text(36, "data");
  wav.setUint32(40, data, true);
  samples.forEach((v, i) => wav.setInt16(44 + i * 2, Math.round(v * 32767), true));
  return new Uint8Array(wav.buffer);
}

let url: string | null = null;

/** The chime as an object URL, made once for the page (the cue and the test sound share it). */
export function chimeUrl(): string {
  url ??= URL.createObjectURL(new Blob([chimeWav()], { type: "audio/wav" }));
  return url;
}
