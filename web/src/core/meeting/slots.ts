/**
 * The media slots of a connection: the microphone and the camera, the shared screen and its sound.
 * Each is one transceiver. The caller creates all four in this order, so that sharing the screen
 * needs no renegotiation; a side that lacks one (a callee of a client that offered only audio and
 * video) adds it when it first needs it. Both ends tell the slots apart by their order among the
 * media sections of each kind: the first audio is the microphone, the second the screen's sound;
 * the first video is the camera, the second the screen. Pure.
 */

export const SLOTS = ["mic", "camera", "screen", "screenAudio"] as const;
export type Slot = (typeof SLOTS)[number];
export type MediaKind = "audio" | "video";

export const SLOT_KIND: Readonly<Record<Slot, MediaKind>> = {
  mic: "audio",
  camera: "video",
  screen: "video",
  screenAudio: "audio",
};

const BY_KIND: Readonly<Record<MediaKind, readonly Slot[]>> = {
  audio: ["mic", "screenAudio"],
  video: ["camera", "screen"],
};

/** The slot of each media section, given their kinds in order; null past the known ones. */
export function slotsOf(kinds: readonly (string | null | undefined)[]): (Slot | null)[] {
  const seen: Record<MediaKind, number> = { audio: 0, video: 0 };
  return kinds.map((kind) => {
    if (kind !== "audio" && kind !== "video") return null;
    return BY_KIND[kind][seen[kind]++] ?? null;
  });
}

/** The slots whose tracks belong to the screen's stream (the others to the camera's). */
export function isScreenSlot(slot: Slot): boolean {
  return slot === "screen" || slot === "screenAudio";
}
