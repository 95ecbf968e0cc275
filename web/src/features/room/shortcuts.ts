/**
 * The room's keyboard shortcuts: the list the "Keyboard shortcuts" dialog shows, and the handler
 * beside it, so that the two are read and changed together.
 */
import type { LocalMedia } from "../../core/meeting/media";
import { PushToTalk } from "./pushToTalk";
import type { RoomSession } from "./session";
import type { RoomUi } from "./store";

export interface Shortcut {
  keys: string;
  does: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: "Ctrl+D", does: "Turn the microphone on or off" },
  { keys: "Hold Ctrl+Space", does: "Talk while the microphone is off; let go to be muted again (not while typing)" },
  { keys: "Ctrl+E", does: "Turn the camera on or off" },
  { keys: "Ctrl+Alt+H", does: "Raise or lower your hand (not while typing)" },
  { keys: "Ctrl+Alt+C", does: "Open or close the chat (not while typing)" },
  { keys: "Ctrl+/", does: "Show these shortcuts" },
  { keys: "Escape", does: "Close the open panel, menu or dialog" },
  { keys: "Tab, Shift+Tab", does: "Move between controls; arrow keys move within a menu" },
];

const TEXT_INPUTS: ReadonlySet<string> = new Set(["text", "search", "url", "email", "tel", "password", "number"]);

/** Whether keys typed now go into text (a message, a name), where Ctrl+Space has its own use. */
export function typing(target: EventTarget | null): boolean {
  const el = target as { tagName?: string; type?: string; isContentEditable?: boolean } | null;
  if (!el?.tagName) return false;
  if (el.isContentEditable || el.tagName === "TEXTAREA") return true;
  return el.tagName === "INPUT" && TEXT_INPUTS.has(el.type ?? "text");
}

/** The room's keys, as SHORTCUTS says (holding Ctrl+Space: pushToTalk.ts). */
/**
 * Ctrl+Alt (Cmd+Ctrl on a Mac) with a letter, by the key's place (Alt turns the letter into
 * another character on a Mac); not while typing, where Ctrl+Alt is AltGr on Windows (AltGr+C is
 * "ć" on a Polish keyboard).
 */
export function ctrlAltLetter(
  event: Pick<KeyboardEvent, "ctrlKey" | "altKey" | "metaKey" | "shiftKey" | "code" | "target">,
): string | null {
  const mac = event.metaKey && event.ctrlKey && !event.altKey;
  const others = event.ctrlKey && event.altKey && !event.metaKey;
  if ((!mac && !others) || event.shiftKey || typing(event.target)) return null;
  return event.code.startsWith("Key") ? event.code.slice(3).toLowerCase() : null;
}

export function startShortcuts(session: RoomSession, ui: RoomUi, local: LocalMedia): () => void {
  const talk = new PushToTalk({ isOn: () => local.micOn, set: (on) => void local.setMic(on, { remember: false }) });
  const onKey = (event: KeyboardEvent) => {
    // In a text field Ctrl+Space is the input method's switch (Windows, Linux): leave it to it.
    if (!typing(event.target) && talk.down(event)) return event.preventDefault();
    if (event.key === "Escape" && ui.panel.peek() && !document.querySelector("dialog[open]")) ui.setPanel(null);
    const letter = ctrlAltLetter(event);
    if (letter === "h" || letter === "c") {
      event.preventDefault();
      if (letter === "h") session.gestures.raiseHand(!session.gestures.handUp);
      else ui.togglePanel("chat");
      return;
    }
    if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
      const key = event.key.toLowerCase();
      if (key === "d") {
        event.preventDefault();
        void local.setMic(!local.micOn);
      } else if (key === "e") {
        event.preventDefault();
        void local.setCam(!local.camOn);
      } else if (key === "/" && !document.querySelector("dialog[open]")) {
        event.preventDefault();
        ui.dialog.value = { kind: "shortcuts" };
      }
    }
  };
  const onKeyUp = (event: KeyboardEvent) => talk.up(event);
  const onBlur = () => talk.release();
  document.addEventListener("keydown", onKey);
  document.addEventListener("keyup", onKeyUp);
  window.addEventListener("blur", onBlur);
  return () => {
    talk.release();
    document.removeEventListener("keydown", onKey);
    document.removeEventListener("keyup", onKeyUp);
    window.removeEventListener("blur", onBlur);
  };
}
