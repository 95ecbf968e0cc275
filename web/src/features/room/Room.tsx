/** The room: top bar, stage, side panel, controls, dialogs and the sound banner. */
import "./room.css";
import { useEffect, useMemo } from "preact/hooks";
import type { LocalMedia } from "../../core/meeting/media";
import { checkCaptionsOffered, useCaptionRecognition } from "../captions/CaptionsView";
import { Controls } from "../controls/Controls";
import { Dialogs } from "../dialogs/Dialogs";
import { FileDrop } from "../files/FileDrop";
import { HelpAlert } from "../breakouts/HelpAlert";
import { startRoomsTimer } from "../breakouts/roomsTimer";
import { AskPrompt } from "../hosts/AskPrompt";
import { KnockAlert } from "../hosts/KnockAlert";
import { currentLeaveChoice } from "../leave/LeaveDialog";
import { startMutedSpeechHint } from "../mutedSpeech/watch";
import { SafetyWarnings } from "../safety/SafetyWarnings";
import { Stage } from "../stage/Stage";
import { PictureInPicture } from "../stage/pictureInPicture";
import { StageState } from "../stage/stageState";
import { playVideo } from "../stage/Tile";
import { startNotifications } from "./notifications";
import { startShortcuts } from "./shortcuts";
import { StorageBanner } from "../orgStorage/StorageBanner";
import { startPeopleNotices } from "./notices";
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
    for (const [key, video] of ui.videos) {
      if (video.closest('[data-local="true"]') || key.startsWith("self:")) continue;
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
  const stage = useMemo(() => new StageState(session, ui, local), [session, ui, local]);
  useEffect(() => stage.start(), [stage]);
  const pip = useMemo(() => new PictureInPicture(session, stage, local), [session, stage, local]);
  useEffect(() => pip.start(), [pip]);
  useEffect(() => ui.watchWidth(), [ui]);
  useEffect(() => startNotifications(session, ui, local), [session, ui, local]);
  useEffect(() => startPeopleNotices(session), [session]);
  useEffect(() => startRoomsTimer(session), [session]);
  useEffect(() => session.help.start(), [session]);
  useEffect(() => startShortcuts(session, ui, local), [session, ui, local]);
  useEffect(() => startMutedSpeechHint(local), [local]);
  useEffect(() => checkCaptionsOffered(), []);
  useCaptionRecognition(session, local);
  const classes = ui.panel.value ? "room panel-open" : "room";
  // Someone who runs the meeting, with others in it or waiting to join, is asked: just leave, or end it for everyone.
  const leave = () => {
    if (currentLeaveChoice(session)) ui.dialog.value = { kind: "leave" };
    else props.onLeave();
  };
  return (
    <div class={classes} data-meeting-id={session.meeting.meetingId} data-width={ui.width.value}>
      <TopBar session={session} ui={ui} />
      <StorageBanner org={session.org} />
      <main class="room-body" aria-labelledby="room-title">
        <Stage session={session} ui={ui} local={local} stage={stage} />
        <SidePanel session={session} ui={ui} />
      </main>
      <Controls session={session} ui={ui} local={local} pip={pip} onLeave={leave} />
      <SoundBanner ui={ui} />
      <FileDrop session={session} ui={ui} />
      <AskPrompt hosting={session.hosting} local={local} />
      <div class="room-alerts">
        <KnockAlert hosting={session.hosting} panelOpen={ui.panel.value === "people"} onShow={() => ui.setPanel("people")} />
        <HelpAlert session={session} panelOpen={ui.panel.value === "rooms"} onShow={() => ui.setPanel("rooms")} />
      </div>
      <SafetyWarnings session={session} ui={ui} />
      <Dialogs session={session} ui={ui} local={local} onLeave={props.onLeave} />
    </div>
  );
}
