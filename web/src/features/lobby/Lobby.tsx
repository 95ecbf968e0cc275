/**
 * The lobby: camera preview, microphone and camera on/off and choice, what we know of the meeting
 * (its title, that it needs a password, that it is full now), privacy mode, then "Join now".
 */
import type { Signal } from "@preact/signals";
import { useEffect, useRef, useState } from "preact/hooks";
import type { LocalMedia } from "../../core/meeting/media";
import { setHideIpPreference } from "../../core/meeting/privacy";
import type { MeetingInfoResult } from "../../protocol.gen";
import { Icon } from "../../ui/Icon";
import { MediaToggle } from "../controls/MediaToggle";
import { DeviceSelect, useDevices } from "../settings/DeviceSelect";
import { initials } from "../stage/tileInfo";

/** "Hide my IP address": relay-only ICE; locked on when the organisation requires it. */
function PrivacySwitch(props: { hideIp: Signal<boolean>; required: boolean }) {
  const on = props.required || props.hideIp.value;
  const change = (event: Event) => {
    const checked = (event.currentTarget as HTMLInputElement).checked;
    props.hideIp.value = checked;
    setHideIpPreference(checked);
  };
  return (
    <div class="field switch-field">
      <label class="switch">
        <input type="checkbox" role="switch" checked={on} disabled={props.required} onChange={change} aria-describedby="hide-ip-help" />
        <span>Hide my IP address from the other participants</span>
      </label>
      <p id="hide-ip-help" class="muted small">
        {props.required
          ? "Your organisation requires it. "
          : ""}
        Your audio, video and data then go through our relay server, still encrypted end to end: the others see the relay's
        address, never yours. It can add a little delay.
      </p>
    </div>
  );
}

export function Lobby(props: {
  local: LocalMedia;
  meetingId: string;
  myName: string;
  info: MeetingInfoResult | null;
  /** This tab already holds the password (the creator's, or one that worked before). */
  passwordKnown: boolean;
  hideIp: Signal<boolean>;
  onJoin: (password: string | null) => void;
}) {
  const { local, info } = props;
  const state = local.state.value;
  const preview = useRef<HTMLVideoElement>(null);
  const joinButton = useRef<HTMLButtonElement>(null);
  const password = useRef<HTMLInputElement>(null);
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
    if (devices) (password.current ?? joinButton.current)?.focus();
  }, [devices]);
  useEffect(() => {
    if (preview.current) preview.current.srcObject = state.cameraTrack ? new MediaStream([state.cameraTrack]) : null;
  }, [state.cameraTrack]);

  const join = (event: Event) => {
    event.preventDefault();
    props.onJoin(password.current?.value || null);
  };
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
      <form class="lobby-side" onSubmit={join}>
        <h1 id="lobby-title">{info?.title ? `Ready to join "${info.title}"?` : "Ready to join?"}</h1>
        <p class="meeting-code-display">{props.meetingId}</p>
        <p class="muted">{`Joining as ${props.myName}`}</p>
        {info?.full ? (
          <p class="notice" role="status">
            This meeting is full right now. You can join as soon as someone leaves.
          </p>
        ) : null}
        {info?.hasPassword && !props.passwordKnown ? (
          <div class="field">
            <label for="lobby-password">
              <Icon name="lock" /> Meeting password
            </label>
            <input ref={password} id="lobby-password" type="password" autocomplete="current-password" maxLength={128} required />
          </div>
        ) : null}
        <div class="field">
          <label for="lobby-mic">Microphone</label>
          <DeviceSelect id="lobby-mic" kind="audioinput" local={local} devices={devices} ariaLabel="Microphone" />
        </div>
        <div class="field">
          <label for="lobby-cam">Camera</label>
          <DeviceSelect id="lobby-cam" kind="videoinput" local={local} devices={devices} ariaLabel="Camera" />
        </div>
        <PrivacySwitch hideIp={props.hideIp} required={!!info?.relayOnly} />
        <p class="muted small" role="status">
          {[state.audioProblem, state.videoProblem].filter(Boolean).join(" ")}
        </p>
        <button ref={joinButton} class="btn btn-primary btn-large" type="submit">
          Join now
        </button>
        <a href="/" data-link class="btn btn-ghost">
          Back to home
        </a>
      </form>
    </main>
  );
}
