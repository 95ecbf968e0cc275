/** The tiles: ours, and one per other participant (each subscribed to its own connection). */
import { useCallback, useMemo } from "preact/hooks";
import type { LocalMedia } from "../../core/meeting/media";
import type { RoomSession } from "../room/session";
import type { RoomUi, TileSeen } from "../room/store";
import { Tile } from "./Tile";
import { QualityBars, TileMenu, TileReactions } from "./TileParts";
import { pathLabel, stateLabel } from "./tileInfo";

function useSeenReporter(ui: RoomUi, uid: string) {
  return useCallback((seen: TileSeen | null) => ui.tileSeen(uid, seen), [ui, uid]);
}

export function SelfTile(props: { session: RoomSession; ui: RoomUi; local: LocalMedia }) {
  const { session, ui } = props;
  const { meeting } = session;
  const state = props.local.state.value;
  const camera = state.cameraTrack;
  const stream = useMemo(() => (camera ? new MediaStream([camera]) : null), [camera]);
  const audioOnly = meeting.adaptation.audioOnly.value;
  return (
    <Tile
      uid={meeting.myUid}
      isLocal
      mirrored={props.local.mirror.value}
      stream={stream}
      name={`${session.name(meeting.myUid)} (you)`}
      state="self"
      stateText=""
      audio={state.micOn}
      video={!!camera && !audioOnly}
      recording={!!ui.recorder.value}
      speaking={meeting.speakers.state.value.speaking.has(meeting.myUid)}
      handUp={session.gestures.hands.value.has(meeting.myUid)}
      safetyCode={null}
      videos={ui.videos}
      overlay={<TileReactions uid={meeting.myUid} session={session} />}
    />
  );
}

export function RemoteTile(props: { uid: string; session: RoomSession; ui: RoomUi }) {
  const { uid, session, ui } = props;
  const { meeting } = session;
  const link = session.link(uid);
  const view = link?.view.value;
  const { state, text } = stateLabel(view);
  const name = session.name(uid);
  const onSeen = useSeenReporter(ui, uid);
  const openDetails = () => (ui.dialog.value = { kind: "connection", uid });
  return (
    <Tile
      uid={uid}
      isLocal={false}
      stream={link ? link.remoteStream : null}
      name={name}
      state={state}
      stateText={text}
      audio={view?.remoteMedia.audio ?? true}
      video={!!view?.videoLive && view.remoteMedia.video && !meeting.adaptation.audioOnly.value}
      recording={view?.remoteMedia.recording ?? false}
      speaking={meeting.speakers.state.value.speaking.has(uid)}
      handUp={session.gestures.hands.value.has(uid)}
      safetyCode={view?.safetyCode ?? null}
      path={pathLabel(view)}
      onSafety={(who) => (ui.dialog.value = { kind: "safety", uid: who })}
      videos={ui.videos}
      mutedForMe={ui.mutedForMe.value.has(uid)}
      volume={ui.volumes.value.get(uid)}
      onSeen={onSeen}
      overlay={<TileReactions uid={uid} session={session} />}
      tools={
        <>
          {view?.state === "failed" ? <RetryButton name={name} session={session} /> : null}
          {view && view.state === "connected" && view.quality.bars > 0 ? (
            <QualityBars quality={view.quality} name={name} onOpen={openDetails} />
          ) : null}
          <TileMenu uid={uid} name={name} session={session} ui={ui} sharing={!!view?.remoteMedia.screen} />
        </>
      }
    />
  );
}

/** On a connection given up: join again with a new session, which connects to everyone anew.
 * Not the one connection alone: its call record has ended, and a connection between the same
 * two sessions has no other (docs/protocol.md, report_connection). */
function RetryButton(props: { name: string; session: RoomSession }) {
  return (
    <button
      type="button"
      class="tile-retry"
      title="Joins the meeting again: your connections to everyone start anew"
      aria-label={`Try again to connect to ${props.name}`}
      onClick={() => void props.session.meeting.rejoin(`trying again to connect to ${props.name}`)}
    >
      Try again
    </button>
  );
}
