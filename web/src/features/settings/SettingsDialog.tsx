/** Devices: choose the microphone, the camera and the speakers during the meeting. */
import { canChooseOutput } from "../../core/meeting/audioOutput";
import type { LocalMedia } from "../../core/meeting/media";
import { CloseButton, Dialog } from "../dialogs/Dialog";
import { DeviceSelect } from "./DeviceSelect";
import { MicLevel } from "./MicLevel";
import { TestSound } from "./TestSound";

export function SettingsDialog(props: { local: LocalMedia; onClose: () => void }) {
  return (
    <Dialog labelledBy="settings-title" onClose={props.onClose}>
      <h2 id="settings-title">Devices</h2>
      <div class="field">
        <label for="settings-mic">Microphone</label>
        <DeviceSelect id="settings-mic" kind="audioinput" local={props.local} />
        <MicLevel local={props.local} />
      </div>
      <div class="field">
        <label for="settings-cam">Camera</label>
        <DeviceSelect id="settings-cam" kind="videoinput" local={props.local} />
      </div>
      {canChooseOutput() ? (
        <div class="field">
          <label for="settings-speakers">Speakers</label>
          <DeviceSelect id="settings-speakers" kind="audiooutput" local={props.local} />
          <TestSound />
        </div>
      ) : null}
      <CloseButton text="Done" />
    </Dialog>
  );
}
