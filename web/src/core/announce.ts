/**
 * The one way the room tells a person what happens to people: someone joined or left, raised a
 * hand, reacted, lost their connection; a message or a file arrived. Callers say it in words with
 * `announce(text)`; whoever shows it subscribes with `onAnnounce` (today the room's toasts; the
 * accessible live region subscribes here too, without a change to any caller).
 */

export interface Announcement {
  text: string;
  /** "assertive": interrupts (a lost connection); "polite": waits its turn. */
  urgency: "polite" | "assertive";
  /** Already shown on screen by other means (a reaction floating over a tile): no toast. */
  quiet: boolean;
}

type Listener = (announcement: Announcement) => void;

const listeners = new Set<Listener>();

export function announce(text: string, options: Partial<Omit<Announcement, "text">> = {}): void {
  const announcement: Announcement = { text, urgency: options.urgency ?? "polite", quiet: options.quiet ?? false };
  for (const listener of [...listeners]) {
    try {
      listener(announcement);
    } catch (error) {
      console.warn("an announcement listener failed", error);
    }
  }
}

/** Subscribe; returns the function that unsubscribes. */
export function onAnnounce(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
