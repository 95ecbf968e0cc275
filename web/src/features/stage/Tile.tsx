/** One video tile: the video (or an avatar), name, connection state, microphone, REC and safety code. */
import { useEffect, useRef } from "preact/hooks";
import { Icon } from "../../ui/Icon";
import { hue, initials } from "./tileInfo";

export interface TileProps {
  uid: string;
  isLocal: boolean;
  stream: MediaStream | null;
  name: string;
  /** data-state: self, waiting, connecting, connected, reconnecting, failed, closed. */
  state: string;
  stateText: string;
  audio: boolean;
  video: boolean;
  screen: boolean;
  recording: boolean;
  safetyCode: string | null;
  path?: string;
  onSafety?: (uid: string) => void;
  /** Keeps the tiles' video elements by uid (the recorder and the sound banner use them). */
  videos: Map<string, HTMLVideoElement>;
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

export function Tile(props: TileProps) {
  const { uid, isLocal, name, safetyCode } = props;
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = video.current;
    if (!el) return;
    props.videos.set(uid, el);
    return () => {
      if (props.videos.get(uid) === el) props.videos.delete(uid);
    };
  }, [uid, props.videos]);
  useEffect(() => {
    const el = video.current;
    if (!el || el.srcObject === props.stream) return;
    el.srcObject = props.stream;
    if (props.stream) playVideo(el);
  }, [props.stream]);
  const classes = ["tile", props.video ? "" : "no-video", props.screen ? "screen" : ""].filter(Boolean).join(" ");
  return (
    <article
      class={classes}
      role="listitem"
      data-uid={uid}
      data-local={String(isLocal)}
      data-state={props.state}
      data-path={props.path ?? ""}
      aria-label={`${name}, ${props.stateText}`}
    >
      <video ref={video} autoplay playsInline muted={isLocal} class={isLocal && !props.screen ? "mirror" : ""} />
      <div class="tile-avatar" aria-hidden="true" style={{ "--hue": String(hue(uid)) }}>
        {initials(name)}
      </div>
      <div class="tile-top">
        <span class="tile-rec" hidden={!props.recording}>
          ● REC
        </span>
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
        <span class="tile-name">{name}</span>
        <span class="tile-state" aria-live="polite">
          {props.stateText}
        </span>
      </div>
    </article>
  );
}
