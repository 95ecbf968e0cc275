/**
 * The lobby: camera preview, microphone and camera on/off and choice, the name the others will
 * see, what we know of the meeting (its title, that it needs a password, that it is full now,
 * that a host lets people in), the background, privacy mode, then "Join now" or "Ask to join".
 */
import type { Signal } from "@preact/signals";
import type { Ref } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { LocalMedia } from "../../core/meeting/media";
import { setHideIpPreference } from "../../core/meeting/privacy";
import { onAnnounce } from "../../core/announce";
import { LIMITS, type MeetingInfoResult } from "../../protocol.gen";
import { Icon } from "../../ui/Icon";
import { MediaToggle } from "../controls/MediaToggle";
import { BackgroundMenu } from "../settings/BackgroundMenu";
import { DeviceSelect } from "../settings/DeviceSelect";
import { MicLevel } from "../settings/MicLevel";
import { SpeakersField } from "../settings/SpeakersField";
import { initials } from "../stage/tileInfo";
import { joinMutedNotice } from "./crowd";
import { nameProblem } from "./names";
import { LobbyStorageNotice } from "../orgStorage/StorageBanner";
import { turnedOffNotice } from "../hosts/permissions";

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

/** The microphone and camera choices: side by side on a phone, to keep "Join now" in view (the speakers, not there: a phone chooses them itself). */
function DeviceFields(props: { local: LocalMedia }) {
  const { local } = props;
  return (
    <div class="lobby-devices">
      <div class="field">
        <label for="lobby-mic">Microphone</label>
        <DeviceSelect id="lobby-mic" kind="audioinput" local={local} ariaLabel="Microphone" />
        <MicLevel local={local} />
      </div>
      <div class="field">
        <label for="lobby-cam">Camera</label>
        <DeviceSelect id="lobby-cam" kind="videoinput" local={local} ariaLabel="Camera" />
      </div>
      <SpeakersField id="lobby-speakers" local={local} class="lobby-speakers" />
    </div>
  );
}

/**
 * What just happened to a device (unplugged, the speakers gone or back), said here because the
 * room's toasts are not there yet. Any later change of the media supersedes it; an error stands
 * for the device's problem, which would only say it again.
 */
function useDeviceNews(local: LocalMedia): { text: string; error: boolean } | null {
  const [news, setNews] = useState<{ text: string; error: boolean } | null>(null);
  useEffect(() => {
    const offs = [
      local.on("change", () => setNews(null)),
      local.on("notice", (text) => setNews({ text, error: false })),
      local.on("error", (text) => setNews({ text, error: true })),
      onAnnounce(({ text }) => setNews({ text, error: false })),
    ];
    return () => offs.forEach((off) => off());
  }, [local]);
  return news;
}

/** The name the others will see: typed here, checked as the server checks it (lobby/names.ts). */
function NameField(props: { name: Signal<string>; problem: string; field: Ref<HTMLInputElement> }) {
  const { problem } = props;
  return (
    <div class="field">
      <label for="lobby-name">Your name</label>
      <input
        ref={props.field}
        id="lobby-name"
        type="text"
        autocomplete="name"
        maxLength={LIMITS.displayNameMaxChars}
        value={props.name.value}
        aria-invalid={problem ? "true" : undefined}
        aria-describedby="lobby-name-help"
        onInput={(event) => (props.name.value = (event.currentTarget as HTMLInputElement).value)}
      />
      <p id="lobby-name-help" class={problem ? "form-error small" : "muted small"}>
        {problem || "Everyone in the meeting sees this name."}
      </p>
    </div>
  );
}

/**
 * Into a crowded meeting the microphone goes off once, for this meeting only (crowd.ts), unless
 * the person turned it on or off here first; `toggleMic` is the lobby's microphone button.
 */
function useJoinMuted(local: LocalMedia, started: boolean, present: number | null | undefined) {
  const chose = useRef(false);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    const said = joinMutedNotice(present);
    if (!started || !said || chose.current || !local.micOn) return;
    chose.current = true; // once: the person's own choice wins from now on
    setNotice(said);
    void local.setMic(false, { remember: false });
  }, [local, started, present]);
  const toggleMic = () => {
    chose.current = true;
    setNotice(null);
    void local.setMic(!local.micOn);
  };
  return { notice, toggleMic };
}

export function Lobby(props: {
  local: LocalMedia;
  meetingId: string;
  /** The name field: prefilled with the account's name (never its e-mail address or phone). */
  name: Signal<string>;
  /** The server refused the name typed ("" when it did not). */
  nameError: string;
  /** Checked against, never shown: a name must not be the account's e-mail address or phone. */
  account: { email: string | null; phone: string | null };
  info: MeetingInfoResult | null;
  /** This tab already holds the password (the creator's, or one that worked before). */
  passwordKnown: boolean;
  hideIp: Signal<boolean>;
  onJoin: (password: string | null, name: string) => void;
}) {
  const { local, info } = props;
  const state = local.state.value;
  const preview = useRef<HTMLVideoElement>(null);
  const joinButton = useRef<HTMLButtonElement>(null);
  const password = useRef<HTMLInputElement>(null);
  const nameField = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState(props.nameError);
  const [started, setStarted] = useState(false);
  const news = useDeviceNews(local);
  const crowded = useJoinMuted(local, started, info?.present);
  // Listed once the devices are open (labels need them); focus moves in then, once.
  const listed = started && local.devices.value !== null;

  useEffect(() => {
    let live = true;
    void local.start().then(() => live && setStarted(true));
    return () => {
      live = false;
    };
  }, [local]);
  useEffect(() => {
    if (listed) ((problem || !props.name.peek() ? nameField.current : null) ?? password.current ?? joinButton.current)?.focus();
  }, [listed]);
  useEffect(() => {
    if (preview.current) preview.current.srcObject = state.cameraTrack ? new MediaStream([state.cameraTrack]) : null;
  }, [state.cameraTrack]);

  const join = (event: Event) => {
    event.preventDefault();
    const name = props.name.peek();
    const wrong = nameProblem(name, props.account);
    setProblem(wrong ?? "");
    if (wrong) return nameField.current?.focus();
    props.onJoin(password.current?.value || null, name.trim());
  };
  const knock = info?.entry === "knock";
  const turnedOff = turnedOffNotice(info?.turnedOff ?? []);
  return (
    <main class="lobby" aria-labelledby="lobby-title">
      {/* First in reading order; beside the preview on a phone (styles.css, "lobby"). */}
      <div class="lobby-heading">
        <h1 id="lobby-title">{info?.title ? `Ready to join "${info.title}"?` : "Ready to join?"}</h1>
        <p class="meeting-code-display">{props.meetingId}</p>
      </div>
      <div class="lobby-preview">
        <video ref={preview} autoplay playsInline muted class={local.mirror.value ? "mirror lobby-video" : "lobby-video"} />
        <div class="lobby-avatar" aria-hidden="true">
          {initials(props.name.value || "?")}
        </div>
        <div class="lobby-toggles">
          <MediaToggle what="microphone" on={state.micOn} onToggle={crowded.toggleMic} />
          <MediaToggle what="camera" on={state.camOn} onToggle={() => void local.setCam(!local.camOn)} />
          <BackgroundMenu local={local} />
        </div>
      </div>
      <form class="lobby-side" onSubmit={join}>
        <NameField name={props.name} problem={problem} field={nameField} />
        {info ? <LobbyStorageNotice storage={info.storage} storedOfYou={info.storedOfYou} storedOfYouBy={info.storedOfYouBy} /> : null}
        {turnedOff ? (
          <p class="notice" role="status">
            {turnedOff}
          </p>
        ) : null}
        {knock ? (
          <p class="notice" role="status">
            A host of this meeting lets people in: ask to join, and they will see your name.
          </p>
        ) : null}
        {crowded.notice && !state.micOn ? (
          <p class="notice" role="status">
            {crowded.notice}
          </p>
        ) : null}
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
        <DeviceFields local={local} />
        <PrivacySwitch hideIp={props.hideIp} required={!!info?.relayOnly} />
        <p class="muted small" role="status">
          {(news?.error ? [news.text] : [news?.text, state.audioProblem, state.videoProblem]).filter(Boolean).join(" ")}
        </p>
        <button ref={joinButton} class="btn btn-primary btn-large" type="submit">
          {knock ? "Ask to join" : "Join now"}
        </button>
        <a href="/" data-link class="btn btn-ghost">
          Back to home
        </a>
      </form>
    </main>
  );
}
