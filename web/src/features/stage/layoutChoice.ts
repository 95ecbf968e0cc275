/** The layout the person chose, and whether tiles without video are hidden, kept in this browser
 * (nothing personal: a word and a flag). */
import { signal, type Signal } from "@preact/signals-core";
import { LAYOUT_CHOICES, type LayoutChoice } from "./layout";

const KEY = "avmeets:layout";

/** A stored value read back: a known choice, else "auto". Pure. */
export function layoutChoiceOf(value: unknown): LayoutChoice {
  return typeof value === "string" && Object.hasOwn(LAYOUT_CHOICES, value) ? (value as LayoutChoice) : "auto";
}

function stored(): LayoutChoice {
  try {
    return layoutChoiceOf(localStorage.getItem(KEY));
  } catch {
    return "auto"; // storage may be disabled
  }
}

/** The choice, as a signal every room of this page shares; a change is kept for the next one. */
export const layoutChoice: Signal<LayoutChoice> = signal(typeof localStorage === "undefined" ? "auto" : stored());

export function chooseLayout(choice: LayoutChoice): void {
  layoutChoice.value = choice;
  try {
    localStorage.setItem(KEY, choice);
  } catch {
    /* storage may be disabled: the choice holds for this page */
  }
}

const HIDE_KEY = "avmeets:hide-without-video";

/** "Hide people without video" (the layout dialog), shared by every room of this page and kept. */
export const hideWithoutVideo: Signal<boolean> = signal(typeof localStorage === "undefined" ? false : storedFlag());

function storedFlag(): boolean {
  try {
    return localStorage.getItem(HIDE_KEY) === "1";
  } catch {
    return false;
  }
}

export function chooseHideWithoutVideo(hide: boolean): void {
  hideWithoutVideo.value = hide;
  try {
    localStorage.setItem(HIDE_KEY, hide ? "1" : "0");
  } catch {
    /* storage may be disabled: the choice holds for this page */
  }
}
