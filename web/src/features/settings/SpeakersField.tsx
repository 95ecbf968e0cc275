/** The speakers' picker with its test sound beside it (the lobby and Devices); absent where the browser cannot choose. */
import { canChooseOutput } from "../../core/meeting/audioOutput";
import type { LocalMedia } from "../../core/meeting/media";
import { DeviceSelect } from "./DeviceSelect";
import { TestSound } from "./TestSound";

export function SpeakersField(props: { id: string; local: LocalMedia; class?: string }) {
  if (!canChooseOutput()) return null;
  return (
    <div class={props.class ? `field ${props.class}` : "field"}>
      <label for={props.id}>Speakers</label>
      <div class="speakers-row">
        <DeviceSelect id={props.id} kind="audiooutput" local={props.local} />
        <TestSound />
      </div>
    </div>
  );
}
