/** How long this browser keeps recordings: the person's choice (localStorage), 7 days by default. */
import { signal } from "@preact/signals-core";
import { validKeepDays } from "./expiry";

const KEY = "avmeets:recordings-keep-days";

function read(): number {
  try {
    return validKeepDays(localStorage.getItem(KEY));
  } catch {
    return validKeepDays(null);
  }
}

export const keepDays = signal(read());

export function setKeepDays(days: number): void {
  keepDays.value = validKeepDays(days);
  try {
    localStorage.setItem(KEY, String(keepDays.value));
  } catch {
    /* storage refused: the choice lasts for this page */
  }
}
