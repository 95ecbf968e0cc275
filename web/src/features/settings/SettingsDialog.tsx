/** Devices: choose the microphone, the camera and the speakers during the meeting. */
import type { LocalMedia } from "../../core/meeting/media";
import "./settings.css";
import { CloseButton, Dialog } from "../dialogs/Dialog";
import { DeviceSelect } from "./DeviceSelect";
import { MicLevel } from "./MicLevel";
import { SpeakersField } from "./SpeakersField";

export function SettingsDialog(props: { local: LocalMedia; onClose: () => void }) {
  return (
    <Dialog labelledBy="settings-title" onClose={props.onClose}>
      <h2 id="settings-title">Devices</h2>
      <div class="field">
        <label for="settings-mic">Microphone</label>
        <DeviceSelect id="settings-mic" kind="audioinput" local={props.local} />
        <MicLevel local={props.local} />
      </div>
      <div class="field inline">
        <input
          id="settings-original"
          type="checkbox"
          checked={props.local.originalSound.value}
          aria-describedby="settings-original-note"
          onChange={(event) => void props.local.setOriginalSound(event.currentTarget.checked)}
        />
        <label for="settings-original">Original sound</label>
      </div>
      <p id="settings-original-note" class="muted small settings-note">
        For music: no noise suppression, echo cancellation or level control. Use headphones.
      </p>
      <div class="field">
        <label for="settings-cam">Camera</label>
        <DeviceSelect id="settings-cam" kind="videoinput" local={props.local} />
      </div>
      <div class="field inline">
        <input
          id="settings-mirror"
          type="checkbox"
          checked={props.local.mirror.value}
          aria-describedby="settings-mirror-note"
          onChange={(event) => props.local.setMirror(event.currentTarget.checked)}
        />
        <label for="settings-mirror">Mirror my video</label>
      </div>
      <p id="settings-mirror-note" class="muted small settings-note">
        Only for you: the others always see you the right way round.
      </p>
      <SpeakersField id="settings-speakers" local={props.local} />
      <CloseButton text="Done" />
    </Dialog>
  );
}
