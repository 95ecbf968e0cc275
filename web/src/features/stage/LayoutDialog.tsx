/** "Change layout" (More): how the stage shows the meeting, chosen at once and kept in this browser. */
import { CloseButton, Dialog } from "../dialogs/Dialog";
import { LAYOUT_CHOICES, type LayoutChoice } from "./layout";
import { chooseHideWithoutVideo, chooseLayout, hideWithoutVideo, layoutChoice } from "./layoutChoice";

export function LayoutDialog(props: { onClose: () => void }) {
  const chosen = layoutChoice.value;
  return (
    <Dialog labelledBy="layout-title" onClose={props.onClose}>
      <h2 id="layout-title">Change layout</h2>
      <fieldset class="layout-choices">
        <legend class="visually-hidden">Layout</legend>
        {(Object.keys(LAYOUT_CHOICES) as LayoutChoice[]).map((choice) => (
          <label key={choice} class="layout-choice">
            <input
              type="radio"
              name="layout"
              value={choice}
              checked={choice === chosen}
              autoFocus={choice === chosen}
              aria-label={LAYOUT_CHOICES[choice].label}
              onChange={() => chooseLayout(choice)}
              aria-describedby={`layout-${choice}-hint`}
            />
            <span class="layout-choice-text">
              <span>{LAYOUT_CHOICES[choice].label}</span>
              <span class="muted small" id={`layout-${choice}-hint`}>
                {LAYOUT_CHOICES[choice].hint}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      <p class="muted small">A presentation, a pin, the spotlight and the whiteboard take the stage in each.</p>
      <label class="layout-choice">
        <input type="checkbox" checked={hideWithoutVideo.value} onChange={(e) => chooseHideWithoutVideo(e.currentTarget.checked)} aria-label="Hide people without video" aria-describedby="layout-hide-hint" />
        <span class="layout-choice-text">
          <span>Hide people without video</span>
          <span class="muted small" id="layout-hide-hint">
            Only those with a camera on or presenting have a tile; you, and whoever is pinned or in the spotlight, stay.
          </span>
        </span>
      </label>
      <CloseButton text="Done" />
    </Dialog>
  );
}
