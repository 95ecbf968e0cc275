/** The tiles of the grid: ours, and one per other participant (each subscribed to its own connection). */
import { useMemo } from "preact/hooks";
import type { LocalMedia } from "../../core/meeting/media";
import type { RoomSession } from "../room/session";
import type { RoomUi } from "../room/store";
import { Tile } from "./Tile";
import { pathLabel, stateLabel } from "./tileInfo";

export function SelfTile(props: { session: RoomSession; ui: RoomUi; local: LocalMedia }) {
  const { meeting } = props.session;
  const state = props.local.state.value;
  const outgoing = state.outgoingVideo;
  const stream = useMemo(() => (outgoing ? new MediaStream([outgoing]) : null), [outgoing]);
  return (
    <Tile
      uid={meeting.myUid}
      isLocal
      stream={stream}
      name={`${meeting.myName} (you)`}
      state="self"
      stateText={state.sharing ? "Presenting" : ""}
      audio={state.micOn}
      video={!!outgoing}
      screen={state.sharing}
      recording={!!props.ui.recorder.value}
      safetyCode={null}
      videos={props.ui.videos}
    />
  );
}

export function RemoteTile(props: { uid: string; session: RoomSession; ui: RoomUi }) {
  const { uid, session, ui } = props;
  const link = session.link(uid);
  const view = link?.view.value;
  const { state, text } = stateLabel(view);
  return (
    <Tile
      uid={uid}
      isLocal={false}
      stream={link ? link.remoteStream : null}
      name={session.name(uid)}
      state={state}
      stateText={text}
      audio={view?.remoteMedia.audio ?? true}
      video={!!view?.videoLive && view.remoteMedia.video}
      screen={view?.remoteMedia.screen ?? false}
      recording={view?.remoteMedia.recording ?? false}
      safetyCode={view?.safetyCode ?? null}
      path={pathLabel(view)}
      onSafety={(who) => (ui.dialog.value = { kind: "safety", uid: who })}
      videos={ui.videos}
    />
  );
}
