/** Devices: choose the microphone and the camera during the meeting. */
import type { LocalMedia } from "../../core/meeting/media";
import { CloseButton, Dialog } from "../dialogs/Dialog";
import { DeviceSelect, useDevices } from "./DeviceSelect";

export function SettingsDialog(props: { local: LocalMedia; onClose: () => void }) {
  const devices = useDevices(true);
  return (
    <Dialog labelledBy="settings-title" onClose={props.onClose}>
      <h2 id="settings-title">Devices</h2>
      <div class="field">
        <label for="settings-mic">Microphone</label>
        <DeviceSelect id="settings-mic" kind="audioinput" local={props.local} devices={devices} />
      </div>
      <div class="field">
        <label for="settings-cam">Camera</label>
        <DeviceSelect id="settings-cam" kind="videoinput" local={props.local} devices={devices} />
      </div>
      <CloseButton text="Done" />
    </Dialog>
  );
}
