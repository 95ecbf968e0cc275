/** A microphone, camera or speakers picker (the lobby and the Devices dialog), following the devices as they come and go. */
import type { LocalMedia } from "../../core/meeting/media";
import { audioOutput, chooseOutput } from "../../core/meeting/audioOutput";

type Kind = "audioinput" | "videoinput" | "audiooutput";

const WHAT: Record<Kind, string> = { audioinput: "Microphone", videoinput: "Camera", audiooutput: "Speakers" };

/** What is in use: the open track's device, or the chosen output ("" before a choice: the first, the default). */
function inUse(kind: Kind, local: LocalMedia): string | undefined {
  if (kind === "audiooutput") return audioOutput.value;
  const state = local.state.value; // a new track (a choice, a device unplugged) repaints the choice
  return (kind === "audioinput" ? state.audioTrack : state.cameraSource)?.getSettings().deviceId;
}

export function DeviceSelect(props: { id: string; kind: Kind; local: LocalMedia; ariaLabel?: string }) {
  const { kind, local } = props;
  const devices = local.devices.value;
  const matching = (devices ?? []).filter((d) => d.kind === kind);
  const current = inUse(kind, local) || matching[0]?.deviceId;
  const what = WHAT[kind];
  const choose = (deviceId: string) => {
    if (kind === "audiooutput") chooseOutput(deviceId);
    else void local.selectDevice(kind, deviceId);
  };
  return (
    <select id={props.id} aria-label={props.ariaLabel} onChange={(event) => choose(event.currentTarget.value)}>
      {devices && !matching.length ? <option value="">None found</option> : null}
      {matching.map((device, i) => (
        <option key={device.deviceId} value={device.deviceId} selected={device.deviceId === current}>
          {device.label || `${what} ${i + 1}`}
        </option>
      ))}
    </select>
  );
}
