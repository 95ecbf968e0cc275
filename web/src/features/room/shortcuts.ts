/**
 * The room's keyboard shortcuts: the list the "Keyboard shortcuts" dialog shows, and the handler
 * beside it, so that the two are read and changed together.
 */
import type { LocalMedia } from "../../core/meeting/media";
import { PushToTalk } from "./pushToTalk";
import type { RoomUi } from "./store";

export interface Shortcut {
  keys: string;
  does: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: "Ctrl+D", does: "Turn the microphone on or off" },
  { keys: "Hold Ctrl+Space", does: "Talk while the microphone is off; let go to be muted again" },
  { keys: "Ctrl+E", does: "Turn the camera on or off" },
  { keys: "Ctrl+/", does: "Show these shortcuts" },
  { keys: "Escape", does: "Close the open panel, menu or dialog" },
  { keys: "Tab, Shift+Tab", does: "Move between controls; arrow keys move within a menu" },
];

/** The room's keys, as SHORTCUTS says (holding Ctrl+Space: pushToTalk.ts). */
export function startShortcuts(ui: RoomUi, local: LocalMedia): () => void {
  const talk = new PushToTalk({ isOn: () => local.micOn, set: (on) => void local.setMic(on) });
  const onKey = (event: KeyboardEvent) => {
    if (talk.down(event)) return event.preventDefault();
    if (event.key === "Escape" && ui.panel.peek() && !document.querySelector("dialog[open]")) ui.setPanel(null);
    if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
      const key = event.key.toLowerCase();
      if (key === "d") {
        event.preventDefault();
        void local.setMic(!local.micOn);
      } else if (key === "e") {
        event.preventDefault();
        void local.setCam(!local.camOn);
      } else if (key === "/") {
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
