/**
 * "Adjust … volume for me" (a tile's menu): one person's sound, their voice and their screen's,
 * louder or quieter for us only, at once as the slider moves. Kept in this page.
 */
import { CloseButton, Dialog } from "../dialogs/Dialog";
import type { RoomSession } from "../room/session";
import type { RoomUi } from "../room/store";
import { VOLUME_STEP_PERCENT, volumePercent } from "./volume";

export function VolumeDialog(props: { uid: string; session: RoomSession; ui: RoomUi; onClose: () => void }) {
  const { uid, ui } = props;
  const name = props.session.name(uid);
  const percent = volumePercent(ui.volumes.value.get(uid) ?? 1);
  const muted = ui.mutedForMe.value.has(uid);
  return (
    <Dialog labelledBy="volume-title" onClose={props.onClose}>
      <h2 id="volume-title">{`${name}'s volume`}</h2>
      <p class="muted small" id="volume-hint">
        {`For you only: nobody else hears a difference, and ${name} is not told.`}
      </p>
      <div class="volume-field">
        <label for="volume-level">{`Volume of ${name} for you`}</label>
        <input
          id="volume-level"
          type="range"
          min={0}
          max={100}
          step={VOLUME_STEP_PERCENT}
          value={percent}
          autoFocus
          aria-valuetext={`${percent}%`}
          aria-describedby="volume-hint"
          onInput={(event) => ui.setVolume(uid, Number(event.currentTarget.value) / 100)}
        />
        <output for="volume-level">{`${percent}%`}</output>
      </div>
      {muted ? (
        <p class="volume-muted">
          {`${name} is muted for you: this volume applies once you unmute them. `}
          <button class="btn btn-ghost btn-small" type="button" onClick={() => ui.toggleMutedForMe(uid)}>
            {`Unmute ${name} for me`}
          </button>
        </p>
      ) : null}
      <div class="volume-actions">
        <button class="btn btn-ghost" type="button" disabled={percent === 100} onClick={() => ui.setVolume(uid, 1)}>
          Back to 100%
        </button>
        <CloseButton text="Done" />
      </div>
    </Dialog>
  );
}
