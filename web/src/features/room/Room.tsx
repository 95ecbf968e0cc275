/** The room: top bar, stage, side panel, controls, dialogs and the sound banner. */
import { useEffect } from "preact/hooks";
import type { LocalMedia } from "../../core/meeting/media";
import { Controls } from "../controls/Controls";
import { Dialogs } from "../dialogs/Dialogs";
import { SafetyWarnings } from "../safety/SafetyWarnings";
import { Stage } from "../stage/Stage";
import { playVideo } from "../stage/Tile";
import { startNotifications, startShortcuts } from "./notifications";
import type { RoomSession } from "./session";
import { SidePanel } from "./SidePanel";
import type { RoomUi } from "./store";
import { TopBar } from "./TopBar";

/** Shown when the browser refused to play the others' sound without a click. */
function SoundBanner({ ui }: { ui: RoomUi }) {
  useEffect(() => {
    const show = () => (ui.needsGesture.value = true);
    document.addEventListener("avmeets:needs-gesture", show);
    return () => document.removeEventListener("avmeets:needs-gesture", show);
  }, [ui]);
  const unmute = () => {
    for (const [, video] of ui.videos) {
      if (video.closest('[data-local="true"]')) continue;
      video.muted = false;
      playVideo(video);
    }
    ui.needsGesture.value = false;
  };
  return (
    <button class="sound-banner" type="button" hidden={!ui.needsGesture.value} onClick={unmute}>
      Click to hear the others
    </button>
  );
}

export function Room(props: { session: RoomSession; ui: RoomUi; local: LocalMedia; onLeave: () => void }) {
  const { session, ui, local } = props;
  useEffect(() => startNotifications(session, ui, local), [session, ui, local]);
  useEffect(() => startShortcuts(ui, local), [ui, local]);
  const classes = ui.panel.value ? "room panel-open" : "room";
  return (
    <div class={classes} data-meeting-id={session.meeting.meetingId}>
      <TopBar session={session} ui={ui} />
      <div class="room-body">
        <Stage session={session} ui={ui} local={local} />
        <SidePanel session={session} ui={ui} />
      </div>
      <Controls session={session} ui={ui} local={local} onLeave={props.onLeave} />
      <SoundBanner ui={ui} />
      <SafetyWarnings session={session} ui={ui} />
      <Dialogs session={session} ui={ui} local={local} />
    </div>
  );
}
