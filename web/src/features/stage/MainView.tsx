/**
 * The stage's main area: a shared screen (the presentation), or one participant's camera large
 * (pinned, spotlighted, the speaker). The participant's tile stays in the row beside it.
 */
import { useMemo } from "preact/hooks";
import type { LocalMedia } from "../../core/meeting/media";
import { Icon } from "../../ui/Icon";
import type { RoomSession } from "../room/session";
import type { RoomUi } from "../room/store";
import type { StageLayout } from "./layout";
import { usePlaybackVolume, useVideo } from "./Tile";
import { hue, initials } from "./tileInfo";

/** Videos that the recorder should not compose a second time (the tile has them). */
const NOT_RECORDED = new Map<string, HTMLVideoElement>();

const REASONS: Record<StageLayout["reason"], string> = {
  pinned: "Pinned for you",
  spotlight: "Spotlight",
  presenting: "",
  speaker: "",
  pair: "",
  grid: "",
  board: "",
};

function Caption(props: { text: string; badge: string; onUnpin?: () => void }) {
  return (
    <div class="main-caption">
      <span class="main-name">{props.text}</span>
      {props.badge ? <span class="main-badge">{props.badge}</span> : null}
      {props.onUnpin ? (
        <button class="btn btn-ghost btn-small" type="button" onClick={props.onUnpin}>
          <Icon name="pin" /> Unpin
        </button>
      ) : null}
    </div>
  );
}

/** Someone's shared screen, large, with its sound. */
function RemoteScreen(props: { uid: string; session: RoomSession; ui: RoomUi; layout: StageLayout }) {
  const { uid, session, ui } = props;
  const link = session.link(uid);
  const view = link?.view.value;
  const video = useVideo(`${uid}:screen`, link ? link.screenStream : null, ui.videos);
  usePlaybackVolume(video, ui.playbackVolume(uid));
  const name = session.name(uid);
  return (
    <figure class="main-view presentation" data-uid={uid} data-kind="screen" data-live={String(!!view?.screenLive)} aria-label={`${name}'s screen`}>
      <video ref={video} autoplay playsInline />
      <p class="main-wait" hidden={!!view?.screenLive}>{`Waiting for ${name}'s screen…`}</p>
      <Caption
        text={`${name} is presenting`}
        badge={REASONS[props.layout.reason]}
        onUnpin={props.layout.reason === "pinned" ? () => (ui.pinned.value = null) : undefined}
      />
    </figure>
  );
}

/** Our own screen: a small preview (a full one would mirror itself) and the way to stop. */
function OwnScreen(props: { local: LocalMedia; ui: RoomUi }) {
  const track = props.local.state.value.screenTrack;
  const stream = useMemo(() => (track ? new MediaStream([track]) : null), [track]);
  const video = useVideo("self:screen", stream, props.ui.videos);
  return (
    <figure class="main-view presentation own" data-kind="screen" data-uid="self" aria-label="Your screen">
      <div class="own-screen">
        <video ref={video} autoplay playsInline muted class="own-preview" />
        <p class="own-text">You are presenting to everyone</p>
        <button class="btn btn-primary" type="button" onClick={() => props.local.stopScreenShare()}>
          Stop presenting
        </button>
      </div>
    </figure>
  );
}

/** One participant's camera, large. */
function Camera(props: { uid: string; session: RoomSession; ui: RoomUi; local: LocalMedia; layout: StageLayout }) {
  const { uid, session, ui } = props;
  const { meeting } = session;
  const isMe = uid === meeting.myUid;
  const link = session.link(uid);
  const view = link?.view.value;
  const own = props.local.state.value.cameraTrack;
  const ownStream = useMemo(() => (own ? new MediaStream([own]) : null), [own]);
  const stream = isMe ? ownStream : link ? link.remoteStream : null;
  const video = useVideo(`${uid}:main`, stream, NOT_RECORDED);
  const name = isMe ? `${session.name(uid)} (you)` : session.name(uid);
  const hasVideo = isMe ? !!own : !!view?.videoLive && !!view.remoteMedia.video;
  const speaking = meeting.speakers.state.value.speaking.has(uid);
  return (
    <figure
      class={`main-view camera${hasVideo ? "" : " no-video"}${speaking ? " speaking" : ""}`}
      data-uid={uid}
      data-kind="camera"
      aria-label={name}
    >
      {/* Muted: the tile in the row already plays this person's sound. */}
      <video ref={video} autoplay playsInline muted class={isMe && props.local.mirror.value ? "mirror" : ""} />
      <div class="tile-avatar" aria-hidden="true" style={{ "--hue": String(hue(uid)) }}>
        {initials(name)}
      </div>
      <Caption text={name} badge={REASONS[props.layout.reason]} onUnpin={props.layout.reason === "pinned" ? () => (ui.pinned.value = null) : undefined} />
    </figure>
  );
}

export function MainView(props: { layout: StageLayout; session: RoomSession; ui: RoomUi; local: LocalMedia }) {
  const { layout, session, ui, local } = props;
  const main = layout.main;
  if (!main || main.kind === "board") return null;
  if (main.kind === "screen") {
    return main.uid === session.meeting.myUid ? (
      <OwnScreen local={local} ui={ui} />
    ) : (
      <RemoteScreen key={main.uid} uid={main.uid} session={session} ui={ui} layout={layout} />
    );
  }
  return <Camera key={main.uid} uid={main.uid} session={session} ui={ui} local={local} layout={layout} />;
}
