/** The layout the person chose, kept in this browser (nothing personal: one word). */
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
