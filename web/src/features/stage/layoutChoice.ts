/** The layout the person chose, and whether tiles without video are hidden, kept in this browser
 * (nothing personal: a word and a flag). */
import { signal, type Signal } from "@preact/signals-core";
import { LAYOUT_CHOICES, type LayoutChoice } from "./layout";

/** A stored value read back: a known choice, else "auto". Pure. */
export function layoutChoiceOf(value: unknown): LayoutChoice {
  return typeof value === "string" && Object.hasOwn(LAYOUT_CHOICES, value) ? (value as LayoutChoice) : "auto";
}

/** A setting as a signal every room of this page shares, read from `key` at load (`read` of
 * null when nothing is kept) and kept there by `choose` for the next page. */
function kept<T>(key: string, read: (stored: string | null) => T, write: (value: T) => string): [Signal<T>, (value: T) => void] {
  let initial = read(null);
  try {
    if (typeof localStorage !== "undefined") initial = read(localStorage.getItem(key));
  } catch {
    /* storage may be disabled: the default */
  }
  const setting = signal(initial);
  const choose = (value: T) => {
    setting.value = value;
    try {
      localStorage.setItem(key, write(value));
    } catch {
      /* storage may be disabled: the choice holds for this page */
    }
  };
  return [setting, choose];
}

/** The layout: "auto", "tiled" or "speaker" (layout.ts). */
export const [layoutChoice, chooseLayout] = kept<LayoutChoice>("avmeets:layout", layoutChoiceOf, (choice) => choice);

/** "Hide people without video" (the layout dialog). */
export const [hideWithoutVideo, chooseHideWithoutVideo] = kept<boolean>("avmeets:hide-without-video", (stored) => stored === "1", (hide) => (hide ? "1" : "0"));
