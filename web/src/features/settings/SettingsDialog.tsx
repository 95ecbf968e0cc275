/** Devices: choose the microphone, the camera and the speakers during the meeting. */
import type { LocalMedia } from "../../core/meeting/media";
import "./settings.css";
import { CloseButton, Dialog } from "../dialogs/Dialog";
import { BackgroundField } from "./BackgroundField";
import { DeviceSelect } from "./DeviceSelect";
import { MicLevel } from "./MicLevel";
import { SpeakersField } from "./SpeakersField";

/** A check box with its note under it, the note read with it. */
function Choice(props: { id: string; label: string; note: string; checked: boolean; onChange: (on: boolean) => void }) {
  return (
    <>
      <div class="field inline">
        <input
          id={props.id}
          type="checkbox"
          checked={props.checked}
          aria-describedby={`${props.id}-note`}
          onChange={(event) => props.onChange(event.currentTarget.checked)}
        />
        <label for={props.id}>{props.label}</label>
      </div>
      <p id={`${props.id}-note`} class="muted small settings-note">
        {props.note}
      </p>
    </>
  );
}

export function SettingsDialog(props: { local: LocalMedia; onClose: () => void }) {
  return (
    <Dialog labelledBy="settings-title" onClose={props.onClose}>
      <h2 id="settings-title">Devices</h2>
      <div class="field">
        <label for="settings-mic">Microphone</label>
        <DeviceSelect id="settings-mic" kind="audioinput" local={props.local} />
        <MicLevel local={props.local} />
      </div>
      <Choice
        id="settings-original"
        label="Original sound"
        note="For music: no noise suppression, echo cancellation or level control. Use headphones."
        checked={props.local.originalSound.value}
        onChange={(on) => void props.local.setOriginalSound(on)}
      />
      <div class="field">
        <label for="settings-cam">Camera</label>
        <DeviceSelect id="settings-cam" kind="videoinput" local={props.local} />
      </div>
      <BackgroundField id="settings-background" local={props.local} />
      <Choice
        id="settings-mirror"
        label="Mirror my video"
        note="Only for you: the others always see you the right way round."
        checked={props.local.mirror.value}
        onChange={(on) => props.local.setMirror(on)}
      />
      <SpeakersField id="settings-speakers" local={props.local} />
      <CloseButton text="Done" />
    </Dialog>
  );
}
