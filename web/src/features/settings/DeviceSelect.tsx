/** A microphone or camera picker (the lobby and the Devices dialog). */
import { useEffect, useState } from "preact/hooks";
import { listDevices, type LocalMedia } from "../../core/meeting/media";

type Kind = "audioinput" | "videoinput";

/** The browser's devices, read once `ready` (labels are only there once a device is open). */
export function useDevices(ready: boolean): MediaDeviceInfo[] | null {
  const [devices, setDevices] = useState<MediaDeviceInfo[] | null>(null);
  useEffect(() => {
    if (!ready) return;
    let live = true;
    void listDevices().then((list) => live && setDevices(list));
    return () => {
      live = false;
    };
  }, [ready]);
  return devices;
}

export function DeviceSelect(props: {
  id: string;
  kind: Kind;
  local: LocalMedia;
  devices: MediaDeviceInfo[] | null;
  ariaLabel?: string;
}) {
  const { kind, local } = props;
  const matching = (props.devices ?? []).filter((d) => d.kind === kind);
  const current = (kind === "audioinput" ? local.audioTrack : local.cameraTrack)?.getSettings().deviceId;
  const what = kind === "audioinput" ? "Microphone" : "Camera";
  return (
    <select
      id={props.id}
      aria-label={props.ariaLabel}
      onChange={(event) => void local.selectDevice(kind, event.currentTarget.value)}
    >
      {props.devices && !matching.length ? <option value="">None found</option> : null}
      {matching.map((device, i) => (
        <option key={device.deviceId} value={device.deviceId} selected={device.deviceId === current}>
          {device.label || `${what} ${i + 1}`}
        </option>
      ))}
    </select>
  );
}
