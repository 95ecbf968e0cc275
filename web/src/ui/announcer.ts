/**
 * The page's live regions, the only ones it has: one polite (people events, messages, what the
 * room says) and one assertive (a lost connection, an error). Each announcement is added once, as
 * its own line, so a screen reader says it once and nothing else; old lines are dropped.
 * Toasts show the same words on screen (ui/dom.ts `toast`) but are not live themselves.
 */

export type Urgency = "polite" | "assertive";

/** Lines kept in a region (older ones are removed; removals are not announced). */
const KEEP = 6;
const regions = new Map<Urgency, HTMLElement>();

function region(urgency: Urgency): HTMLElement {
  let el = regions.get(urgency);
  if (el?.isConnected) return el;
  el = document.createElement("div");
  el.className = "visually-hidden announcer";
  el.id = `announcer-${urgency}`;
  el.setAttribute("aria-live", urgency);
  el.setAttribute("aria-relevant", "additions");
  el.setAttribute("aria-atomic", "false");
  document.body.appendChild(el);
  regions.set(urgency, el);
  return el;
}

/** Make the regions exist before anything is said (a region added with its text is not read). */
export function startAnnouncer(): void {
  region("polite");
  region("assertive");
}

/** Say `text` once through the live region of its urgency. */
export function say(text: string, urgency: Urgency = "polite"): void {
  const el = region(urgency);
  const line = document.createElement("p");
  line.textContent = text;
  el.appendChild(line);
  while (el.childElementCount > KEEP) el.firstElementChild?.remove();
}
