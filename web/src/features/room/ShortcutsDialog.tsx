/** "Keyboard shortcuts" (More, or Ctrl+/): the room's keys, from the list the handler follows,
 * then the whiteboard's. */
import { CloseButton, Dialog } from "../dialogs/Dialog";
import { BOARD_SHORTCUTS } from "../whiteboard/keys";
import { SHORTCUTS, type Shortcut } from "./shortcuts";

function Keys({ list }: { list: readonly Shortcut[] }) {
  return (
    <dl class="shortcuts">
      {list.map(({ keys, does }) => (
        <div key={keys} class="shortcut">
          <dt>
            <kbd>{keys}</kbd>
          </dt>
          <dd>{does}</dd>
        </div>
      ))}
    </dl>
  );
}

export function ShortcutsDialog(props: { onClose: () => void }) {
  return (
    <Dialog labelledBy="shortcuts-title" onClose={props.onClose}>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <Keys list={SHORTCUTS} />
      {/* Folded, so that the room's keys and the title fit the window as before. */}
      <details class="shortcuts-more">
        <summary>On the whiteboard (when it has the focus)</summary>
        <Keys list={BOARD_SHORTCUTS} />
      </details>
      <p class="muted small">On a Mac, Ctrl is the Control key; ⌘ works for Ctrl+D, Ctrl+E and Ctrl+/ too.</p>
      <CloseButton text="Done" />
    </Dialog>
  );
}
