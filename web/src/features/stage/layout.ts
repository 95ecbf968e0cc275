/** The stage: its grid's tile size, what fills its main area, what we ask each sender for. Pure. */
import type { Wants } from "../../core/meeting/bandwidth";

export const TILE_GAP = 12;
export const MIN_TILE_WIDTH = 120;

/** The largest 16:9 tile width with which `n` tiles fit a `width`×`height` stage; null when unmeasured. */
export function bestTileWidth(n: number, width: number, height: number, gap = TILE_GAP): number | null {
  if (!width || !height) return null;
  const count = Math.max(1, n);
  let best = 0;
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    const w = Math.min((width - gap * (cols - 1)) / cols, ((height - gap * (rows - 1)) / rows) * (16 / 9));
    if (w > best) best = w;
  }
  return Math.floor(Math.max(MIN_TILE_WIDTH, best));
}

// ------------------------------------------------------------------------------ the stage

/** What fills the stage's main area; null: everyone in an even grid (or, "pair", two on a phone). */
export type MainView = { kind: "screen"; uid: string } | { kind: "camera"; uid: string } | { kind: "board" } | null;

/** How the person chose to see the meeting: "auto" (a grid, the speaker large from
 * SPEAKER_VIEW_FROM people), "tiled" (always a grid) or "speaker" (the speaker large as soon as
 * anyone else is there). A pin, the spotlight, a presentation and the whiteboard take the stage in
 * each. */
export type LayoutChoice = "auto" | "tiled" | "speaker";

export const LAYOUT_CHOICES: Readonly<Record<LayoutChoice, { label: string; hint: string }>> = {
  auto: { label: "Auto", hint: "A grid; from five people, whoever speaks is shown large." },
  tiled: { label: "Tiled", hint: "Everyone the same size, however many people are here." },
  speaker: { label: "Speaker", hint: "Whoever speaks is shown large, the others in a row." },
};

/** A local pin: this person's camera or screen large for me only. */
export type Pin = { kind: "camera" | "screen"; uid: string };

export interface StageInput {
  /** Everyone present, us first, then in the order they came. */
  uids: readonly string[];
  myUid: string;
  /** Who shares a screen now, the most recent last. */
  presenters: readonly string[];
  /** The last dominant speaker other than us. */
  speaker: string | null;
  pinned: Pin | null;
  /** Spotlighted for everyone. */
  spotlight: string | null;
  board: boolean;
  narrow: boolean;
  /** Our own tile left out ("Hide self view"); we are still counted, and shown when pinned or presenting. */
  selfHidden: boolean;
  /** The layout the person chose (absent: "auto"). */
  choice?: LayoutChoice;
  /** Leave out the tiles of those who send no video (their camera off, nothing presented), but
   * ours and whoever is pinned, in the spotlight or presenting. */
  hideWithoutVideo?: boolean;
  /** Who is connected and sends no video now. */
  withoutVideo?: readonly string[];
}

export type StageReason = "board" | "pinned" | "spotlight" | "presenting" | "speaker" | "pair" | "grid";

export interface StageLayout {
  main: MainView;
  reason: StageReason;
  /** The tiles' order: the presenter's camera first while presenting, else as they came. */
  order: string[];
  /** Tiles left out for having no video (`hideWithoutVideo`). */
  hidden: number;
}

/** From this many people the speaker gets the stage (on a narrow screen from three). */
export const SPEAKER_VIEW_FROM = 5;
const SPEAKER_VIEW_FROM_NARROW = 3;

/** Pinned beats spotlight beats a presentation beats the speaker; the whiteboard beats all. */
export function chooseStage(input: StageInput): StageLayout {
  const present = new Set(input.uids);
  const presenter = [...input.presenters].reverse().find((uid) => present.has(uid)) ?? null;
  const everyone = presenter ? [presenter, ...input.uids.filter((uid) => uid !== presenter)] : [...input.uids];
  const shown = input.selfHidden ? everyone.filter((uid) => uid !== input.myUid) : everyone;
  const kept = new Set([input.myUid, presenter, input.pinned?.uid, input.spotlight]);
  const dark = new Set(input.hideWithoutVideo ? (input.withoutVideo ?? []).filter((uid) => !kept.has(uid)) : []);
  const order = shown.filter((uid) => !dark.has(uid));
  const at = (main: MainView, reason: StageReason): StageLayout => ({ main, reason, order, hidden: shown.length - order.length });
  if (input.board) return at({ kind: "board" }, "board");
  const pin = input.pinned;
  if (pin && present.has(pin.uid) && (pin.kind === "camera" || input.presenters.includes(pin.uid))) return at(pin, "pinned");
  if (input.spotlight && present.has(input.spotlight)) return at({ kind: "camera", uid: input.spotlight }, "spotlight");
  if (presenter) return at({ kind: "screen", uid: presenter }, "presenting");
  const others = input.uids.filter((uid) => uid !== input.myUid);
  const choice = input.choice ?? "auto";
  const many = choice === "speaker" || input.uids.length >= (input.narrow ? SPEAKER_VIEW_FROM_NARROW : SPEAKER_VIEW_FROM);
  if (choice !== "tiled" && many && others.length) {
    const speaker = input.speaker && present.has(input.speaker) && input.speaker !== input.myUid ? input.speaker : others[0];
    return at({ kind: "camera", uid: speaker }, "speaker");
  }
  // Two on a phone: the other fills the screen, we are a small picture in its corner (stage.css).
  if (input.narrow && input.uids.length === 2 && others.length === 1) return at(null, "pair");
  return at(null, "grid");
}

/** A grid tile at least this wide asks for the camera's high quality. */
export const LARGE_TILE_WIDTH = 400;

/**
 * What we ask `uid` to send us, given the stage's input and layout, whether its tile is seen, and
 * its width. The screen of someone not presenting is asked for as it would be shown if they
 * started (the stage with them as the newest presenter): a sender plans a new presentation with
 * the want it already has, so it goes out at once instead of a round trip later, when our want
 * for a screen we now show would reach it.
 */
export function wantsFor(
  input: StageInput,
  layout: StageLayout,
  uid: string,
  tile: { visible: boolean; width: number },
  audioOnly: boolean,
): Wants {
  if (audioOnly) return { camera: "off", screen: "off" };
  const main = layout.main;
  const screenStage = input.presenters.includes(uid) ? main : chooseStage({ ...input, presenters: [...input.presenters, uid] }).main;
  const screen = screenStage?.kind === "screen" && screenStage.uid === uid ? "high" : "off";
  let camera: Wants["camera"];
  if (main?.kind === "camera" && main.uid === uid) camera = "high";
  else if (!tile.visible) camera = "off";
  else camera = main === null && (layout.reason === "pair" || tile.width >= LARGE_TILE_WIDTH) ? "high" : "low";
  return { camera, screen };
}
