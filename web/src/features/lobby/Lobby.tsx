/** The lobby: camera preview, microphone and camera on/off and choice, then "Join now". */
import { useEffect, useRef, useState } from "preact/hooks";
import type { LocalMedia } from "../../core/meeting/media";
import { MediaToggle } from "../controls/MediaToggle";
import { DeviceSelect, useDevices } from "../settings/DeviceSelect";
import { initials } from "../stage/tileInfo";

export function Lobby(props: { local: LocalMedia; meetingId: string; myName: string; onJoin: () => void }) {
  const { local } = props;
  const state = local.state.value;
  const preview = useRef<HTMLVideoElement>(null);
  const joinButton = useRef<HTMLButtonElement>(null);
  const [started, setStarted] = useState(false);
  const devices = useDevices(started);

  useEffect(() => {
    let live = true;
    void local.start().then(() => live && setStarted(true));
    return () => {
      live = false;
    };
  }, [local]);
  useEffect(() => {
    if (devices) joinButton.current?.focus();
  }, [devices]);
  useEffect(() => {
    if (preview.current) preview.current.srcObject = state.cameraTrack ? new MediaStream([state.cameraTrack]) : null;
  }, [state.cameraTrack]);

  return (
    <main class="lobby" aria-labelledby="lobby-title">
      <div class="lobby-preview">
        <video ref={preview} autoplay playsInline muted class="mirror lobby-video" />
        <div class="lobby-avatar" aria-hidden="true">
          {initials(props.myName)}
        </div>
        <div class="lobby-toggles">
          <MediaToggle what="microphone" on={state.micOn} onToggle={() => void local.setMic(!local.micOn)} />
          <MediaToggle what="camera" on={state.camOn} onToggle={() => void local.setCam(!local.camOn)} />
        </div>
      </div>
      <div class="lobby-side">
        <h1 id="lobby-title">Ready to join?</h1>
        <p class="meeting-code-display">{props.meetingId}</p>
        <p class="muted">{`Joining as ${props.myName}`}</p>
        <div class="field">
          <label for="lobby-mic">Microphone</label>
          <DeviceSelect id="lobby-mic" kind="audioinput" local={local} devices={devices} ariaLabel="Microphone" />
        </div>
        <div class="field">
          <label for="lobby-cam">Camera</label>
          <DeviceSelect id="lobby-cam" kind="videoinput" local={local} devices={devices} ariaLabel="Camera" />
        </div>
        <p class="muted small" role="status">
          {[state.audioProblem, state.videoProblem].filter(Boolean).join(" ")}
        </p>
        <button ref={joinButton} class="btn btn-primary btn-large" type="button" onClick={props.onJoin}>
          Join now
        </button>
        <a href="/" data-link class="btn btn-ghost">
          Back to home
        </a>
      </div>
    </main>
  );
}
