/** "Keyboard shortcuts" (More, or Ctrl+/): the room's keys, from the list the handler follows. */
import { CloseButton, Dialog } from "../dialogs/Dialog";
import { SHORTCUTS } from "./shortcuts";

export function ShortcutsDialog(props: { onClose: () => void }) {
  return (
    <Dialog labelledBy="shortcuts-title" onClose={props.onClose}>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <dl class="shortcuts">
        {SHORTCUTS.map(({ keys, does }) => (
          <div key={keys} class="shortcut">
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{does}</dd>
          </div>
        ))}
      </dl>
      <p class="muted small">On a Mac, Ctrl is the Control key; ⌘ works for Ctrl+D, Ctrl+E and Ctrl+/ too.</p>
      <CloseButton text="Done" />
    </Dialog>
  );
}
