/**
 * One video tile: the video (or an avatar), the name, the microphone, a raised hand, reactions,
 * REC, the speaking highlight, and, for a connection, its quality bars (details on demand), a
 * menu (pin, spotlight) and its safety code. Connection words appear only when something is wrong.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { Icon } from "../../ui/Icon";
import { useAudioOutput } from "../../ui/useAudioOutput";
import type { TileSeen } from "../room/store";
import { hue, initials } from "./tileInfo";
import { playbackVolume, volumePercent, volumeWords } from "./volume";

export interface TileProps {
  uid: string;
  isLocal: boolean;
  /** Our own picture, shown as in a mirror (the person's choice in Devices). */
  mirrored?: boolean;
  stream: MediaStream | null;
  name: string;
  /** data-state: self, waiting, connecting, connected, reconnecting, failed, closed. */
  state: string;
  /** What is wrong with the connection, in words; "" when all is well. */
  stateText: string;
  audio: boolean;
  video: boolean;
  recording: boolean;
  speaking: boolean;
  handUp: boolean;
  safetyCode: string | null;
  path?: string;
  onSafety?: (uid: string) => void;
  /** Keeps the tiles' video elements by uid (the recorder and the sound banner use them). */
  videos: Map<string, HTMLVideoElement>;
  /** Where the tile is (seen or not, how wide), for what we ask its sender for. */
  onSeen?: (seen: TileSeen | null) => void;
  /** Its sound turned off by us, for us only. */
  mutedForMe?: boolean;
  /** Its sound turned down or up by us, for us only (0 to 1; full when absent). */
  volume?: number;
  /** The quality bars and the menu (a connection's), reactions floating over it. */
  tools?: ComponentChildren;
  overlay?: ComponentChildren;
}

/** Play; where autoplay with sound needs a click, play muted and ask for one (the sound banner). */
export function playVideo(video: HTMLVideoElement): void {
  video.play().catch((error: DOMException) => {
    if (error.name === "NotAllowedError" && !video.muted) {
      video.muted = true;
      void video.play().catch(() => undefined);
      document.dispatchEvent(new CustomEvent("avmeets:needs-gesture"));
    }
  });
}

/**
 * Played at `level` for us only ("Mute … for me", "Adjust … volume for me"): the element's volume,
 * not `muted`, which the sound banner owns.
 */
export function usePlaybackVolume(video: { current: HTMLVideoElement | null }, level: number): void {
  useEffect(() => {
    if (video.current) video.current.volume = level;
  }, [video, level]);
}

/** A video element showing `stream`, registered under `key` in `videos` while mounted. */
export function useVideo(key: string, stream: MediaStream | null, videos: Map<string, HTMLVideoElement>) {
  const video = useRef<HTMLVideoElement>(null);
  useAudioOutput(video);
  useEffect(() => {
    const el = video.current;
    if (!el) return;
    videos.set(key, el);
    return () => {
      if (videos.get(key) === el) videos.delete(key);
    };
  }, [key, videos]);
  useEffect(() => {
    const el = video.current;
    if (!el || el.srcObject === stream) return;
    el.srcObject = stream;
    if (stream) playVideo(el);
  }, [stream]);
  return video;
}

/** Report whether the element is on screen and how wide it is (IntersectionObserver, ResizeObserver). */
function useSeen(onSeen: ((seen: TileSeen | null) => void) | undefined) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || !onSeen || typeof IntersectionObserver !== "function") return;
    let visible = true;
    const report = () => onSeen({ visible, width: Math.round(el.clientWidth) });
    const intersection = new IntersectionObserver((entries) => {
      visible = entries.some((entry) => entry.isIntersecting);
      report();
    });
    const resize = new ResizeObserver(report);
    intersection.observe(el);
    resize.observe(el);
    return () => {
      intersection.disconnect();
      resize.disconnect();
      onSeen(null);
    };
  }, [onSeen]);
  return ref;
}

export function Tile(props: TileProps) {
  const { uid, isLocal, name, safetyCode } = props;
  const video = useVideo(uid, props.stream, props.videos);
  usePlaybackVolume(video, playbackVolume(!!props.mutedForMe, props.volume));
  const soundWords = volumeWords(!!props.mutedForMe, props.volume);
  const tile = useSeen(props.onSeen);
  const classes = ["tile", props.video ? "" : "no-video", props.speaking ? "speaking" : "", props.handUp ? "hand-up" : ""];
  const label = [name, props.handUp ? "hand raised" : "", props.audio ? "" : "microphone off", soundWords, props.stateText]
    .filter(Boolean)
    .join(", ");
  return (
    <div
      ref={tile}
      class={classes.filter(Boolean).join(" ")}
      role="listitem"
      data-uid={uid}
      data-local={String(isLocal)}
      data-state={props.state}
      data-path={props.path ?? ""}
      data-speaking={String(props.speaking)}
      aria-label={label}
    >
      <video ref={video} autoplay playsInline muted={isLocal} class={isLocal && props.mirrored ? "mirror" : ""} />
      <div class="tile-avatar" aria-hidden="true" style={{ "--hue": String(hue(uid)) }}>
        {initials(name)}
      </div>
      {props.overlay}
      <div class="tile-top">
        <span class="tile-rec" hidden={!props.recording}>
          ● REC
        </span>
        <span class="tile-hand" hidden={!props.handUp} title="Hand raised">
          <Icon name="hand" />
        </span>
        <span class="spacer" />
        {props.tools}
        <button
          class="tile-safety btn-icon"
          type="button"
          hidden={!safetyCode}
          data-safety-code={safetyCode ?? ""}
          aria-label={`Safety code with ${name}: ${safetyCode ?? "not yet available"}`}
          title={safetyCode ? `Safety code ${safetyCode}` : ""}
          onClick={() => props.onSafety?.(uid)}
        >
          <Icon name="shield" />
        </button>
      </div>
      <div class="tile-bottom">
        <span class="tile-mic" hidden={props.audio}>
          <Icon name="micOff" label="microphone off" />
        </span>
        <span class="tile-silent" hidden={!props.mutedForMe} title="Muted for you">
          <Icon name="soundOff" label="muted for you" />
        </span>
        {!props.mutedForMe && soundWords ? (
          <span class="tile-volume" title="Volume for you">
            <span aria-hidden="true">{`${volumePercent(props.volume ?? 1)}%`}</span>
            <span class="visually-hidden">{soundWords}</span>
          </span>
        ) : null}
        <span class="tile-name">{name}</span>
        {/* Not a live region: who joined or left is said once by the page's announcer. */}
        <span class="tile-state">{props.stateText}</span>
      </div>
    </div>
  );
}
