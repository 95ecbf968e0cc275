/**
 * The control bar: every control labelled with a word. On a wide window all of them are in the
 * bar; narrower, the secondary ones move into "More" (the rarely used ones live there always).
 */
import "./controls.css";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { announce } from "../../core/announce";
import type { LocalMedia } from "../../core/meeting/media";
import { canFullscreen, fullscreen, toggleFullscreen } from "../../ui/fullscreen";
import { REACTION_NAMES, REACTIONS } from "../gestures/gestures";
import { runsMeeting } from "../hosts/controls";
import { PERMISSIONS } from "../hosts/permissions";
import { togglePause, toggleRecording } from "../recordings/recording";
import type { RoomSession } from "../room/session";
import type { RoomUi, Width } from "../room/store";
import { canPictureInPicture, type PictureInPicture } from "../stage/pictureInPicture";
import { toggleWhiteboard } from "../whiteboard/WhiteboardHost";
import { captionsOffered } from "../captions/CaptionsView";
import { ControlButton, MenuItem, type ControlProps } from "./ControlButton";
import { Popover } from "./Popover";

/** Where a control goes: always in the bar, in the bar from a width on, or always in "More". */
type Place = "bar" | "wide" | "medium" | "menu";

interface Control extends ControlProps {
  id: string;
  place: Place;
  checkbox?: boolean;
}

/** The first group: what one does with oneself (the rest: tools and panels). */
const MEDIA: ReadonlySet<string> = new Set(["mic", "camera", "present", "hand"]);

function inBar(place: Place, width: Width): boolean {
  return place === "bar" || (place === "wide" && width === "wide") || (place === "medium" && width !== "narrow");
}

/**
 * What the badge says, for the button's name after its word: ", 1 unread" makes "Chat, 1
 * unread" (Chromium: "Chat , 1 unread"; ControlButton: hidden inline text, the badge itself is
 * only seen).
 */
function unread(count: number | boolean, what: string): ControlProps["badge"] {
  if (!count) return undefined;
  return typeof count === "number" ? { shown: String(count), said: `, ${count} ${what}` } : { shown: "", said: `, ${what}` };
}

function controls(session: RoomSession, ui: RoomUi, local: LocalMedia, pip: PictureInPicture): Control[] {
  const state = local.state.value;
  const recorder = ui.recorder.value;
  const panel = ui.panel.value;
  const hand = session.gestures.hands.value.has(session.meeting.myUid);
  const audioOnly = session.meeting.adaptation.audioOnly.value;
  const canShare = typeof navigator.mediaDevices?.getDisplayMedia === "function";
  const knocks = session.hosting.knocks.value.length;
  // Turned off by a host: the button says so, and pressing it says why (LocalMedia.hold).
  const held = session.hosting.heldForMe.value;
  const byHost = (what: "mic" | "camera" | "present", text: string) => (held.includes(what) ? { label: `${text}: turned off by a host`, tone: "off" as const } : {});
  const list: Control[] = [
    {
      id: "mic", place: "bar", text: "Microphone", icon: state.micOn ? "mic" : "micOff", tone: state.micOn ? undefined : "off",
      label: state.micOn ? "Turn off the microphone" : "Turn on the microphone",
      shortcut: state.micOn ? "Control+D" : "Control+D Control+Space", keys: state.micOn ? "Ctrl+D" : "Ctrl+D, or hold Ctrl+Space to talk",
      onClick: () => void local.setMic(!local.micOn), ...byHost("mic", "Microphone"),
    },
    {
      id: "camera", place: "bar", text: "Camera", icon: state.camOn ? "cam" : "camOff", tone: state.camOn ? undefined : "off",
      label: state.camOn ? "Turn off the camera" : "Turn on the camera", shortcut: "Control+E", keys: "Ctrl+E",
      onClick: () => void local.setCam(!local.camOn), ...byHost("camera", "Camera"),
    },
    {
      id: "hand", place: "bar", text: hand ? "Lower hand" : "Raise hand", icon: "hand", pressed: hand,
      shortcut: "Control+Alt+H", keys: "Ctrl+Alt+H", onClick: () => session.gestures.raiseHand(!hand),
    },
    {
      id: "whiteboard", place: "wide", text: "Whiteboard", icon: "board", pressed: ui.whiteboard.value === "open",
      disabled: ui.whiteboard.value === "loading", onClick: () => toggleWhiteboard(ui),
    },
    {
      id: "record", place: "wide", text: recorder ? "Stop" : "Record", icon: "record", pressed: !!recorder, tone: recorder ? "rec" : undefined,
      label: recorder ? "Stop recording" : "Record to this browser", disabled: ui.recordingBusy.value,
      onClick: () => void toggleRecording(session, ui, local),
    },
    ...(recorder
      ? [
          {
            id: "record-pause", place: "wide" as const, text: ui.recordingPaused.value ? "Resume" : "Pause", icon: ui.recordingPaused.value ? ("record" as const) : ("pause" as const),
            label: ui.recordingPaused.value ? "Resume recording" : "Pause recording", pressed: ui.recordingPaused.value, disabled: ui.recordingBusy.value,
            onClick: () => togglePause(session, ui),
          },
        ]
      : []),
    {
      id: "people", place: "medium", text: "People", icon: "people", panel: "people", pressed: panel === "people", onClick: () => ui.togglePanel("people"),
      badge: unread(knocks, "waiting"),
    },
    {
      id: "chat", place: "bar", text: "Chat", icon: "chat", panel: "chat", pressed: panel === "chat", onClick: () => ui.togglePanel("chat"),
      shortcut: "Control+Alt+C", keys: "Ctrl+Alt+C",
      badge: unread(ui.unreadChat.value, "unread"),
    },
    {
      id: "files", place: "wide", text: "Files", icon: "file", panel: "files", pressed: panel === "files", onClick: () => ui.togglePanel("files"),
      badge: unread(ui.unreadFiles.value, "new file"),
    },
    { id: "shortcuts", place: "menu", text: "Keyboard shortcuts", icon: "keyboard", shortcut: "Control+/", onClick: () => (ui.dialog.value = { kind: "shortcuts" }) },
    { id: "layout", place: "menu", text: "Change layout", icon: "people", onClick: () => (ui.dialog.value = { kind: "layout" }) },
    {
      id: "polls", place: "menu", text: "Polls", icon: "poll", panel: "polls", pressed: panel === "polls", onClick: () => ui.togglePanel("polls"),
      badge: unread(ui.unreadPoll.value, "new"),
    },
    {
      id: "qa", place: "menu", text: "Q&A", icon: "question", panel: "qa", pressed: panel === "qa", onClick: () => ui.togglePanel("qa"),
      badge: unread(ui.unreadQuestion.value, "new question"),
    },
    ...(runsMeeting(session.hosting.myRole.value) || session.hosting.choosesRoom.value
      ? [{ id: "rooms", place: "menu" as const, text: "Breakout rooms", icon: "rooms" as const, panel: "rooms" as const, pressed: panel === "rooms", onClick: () => ui.togglePanel("rooms") }]
      : []),
    { id: "recordings", place: "menu", text: "Recordings", icon: "library", panel: "recordings", pressed: panel === "recordings", onClick: () => ui.togglePanel("recordings") },
    { id: "devices", place: "wide", text: "Devices", icon: "settings", onClick: () => (ui.dialog.value = { kind: "settings" }) },
    {
      id: "audio-only", place: "menu", text: "Audio only", icon: "headphones", pressed: audioOnly, checkbox: true,
      onClick: () => session.meeting.mediaState.setAudioOnly(!audioOnly),
    },
  ];
  const selfHidden = ui.selfHidden.value;
  list.push({
    id: "self-view", place: "menu", text: "Hide self view", icon: "eyeOff", pressed: selfHidden, checkbox: true,
    label: "Hide self view: your own picture off your screen (the others still see you)",
    onClick: () => {
      ui.selfHidden.value = !selfHidden;
      if (!selfHidden) announce("Your self view is hidden: the others still see you. More, Hide self view brings it back.");
    },
  });
  if (canPictureInPicture()) {
    const on = pip.on.value;
    list.push({ id: "pip", place: "menu", text: "Picture in picture", icon: "pip", pressed: on, checkbox: true, onClick: () => void pip.toggle() });
  }
  if (canFullscreen()) {
    const on = fullscreen.value;
    list.push({ id: "fullscreen", place: "menu", text: "Full screen", icon: "expand", pressed: on, checkbox: true, onClick: toggleFullscreen });
  }
  if (captionsOffered.value) {
    const on = session.captions.sharing.value;
    list.push({
      id: "captions", place: "menu", text: "Captions", icon: "captions", pressed: on, checkbox: true,
      label: "Captions: share live captions of your speech, recognised on this device",
      onClick: () => session.captions.setSharing(!on),
    });
  }
  if (canShare) {
    list.splice(2, 0, {
      id: "present", place: "wide", text: state.sharing ? "Stop presenting" : "Present", icon: "screen", pressed: state.sharing,
      tone: state.sharing ? "active" : undefined, label: state.sharing ? "Stop presenting: stop sharing your screen" : "Present: share your screen",
      onClick: () => void (local.sharing ? local.stopScreenShare() : local.startScreenShare()), ...byHost("present", "Present"),
    });
  }
  return list;
}

function Reactions({ session }: { session: RoomSession }) {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  // Turned off by a host: the button says so, and pressing it says why (hands stay up to raise).
  const off = session.hosting.heldForMe.value.includes("reactions");
  useEffect(() => {
    if (off) setOpen(false);
  }, [off]);
  const press = () => (off ? announce(PERMISSIONS.reactions.off, { urgency: "assertive" }) : setOpen(!open));
  return (
    <div class="ctl-wrap">
      <ControlButton
        text="React"
        icon="smile"
        popup={!off}
        expanded={off ? undefined : open}
        onClick={press}
        {...(off ? { label: "React: turned off by a host", tone: "off" as const } : {})}
      />
      {open && !off ? (
        <Popover label="Reactions" class="reactions-menu" onClose={close}>
          {REACTIONS.map((emoji) => (
            <button
              key={emoji}
              class="menu-item reaction-pick"
              type="button"
              role="menuitem"
              aria-label={REACTION_NAMES[emoji]}
              title={REACTION_NAMES[emoji]}
              onClick={() => session.gestures.react(emoji)}
            >
              {emoji}
            </button>
          ))}
        </Popover>
      ) : null}
    </div>
  );
}

function More(props: { items: Control[] }) {
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  const button = useRef<HTMLButtonElement>(null);
  // One function for the menu's life: a new one at every render of the bar (a chat message, a
  // hand) would start the menu again and move the focus back to its first item.
  const dismiss = useCallback(() => {
    close();
    button.current?.focus();
  }, [close]);
  return (
    <div class="ctl-wrap">
      <ControlButton text="More" label="More options" icon="more" popup expanded={open} buttonRef={button} onClick={() => setOpen(!open)} />
      {open ? (
        <Popover label="More options" onClose={dismiss}>
          {props.items.map(({ id, ...item }) => (
            <MenuItem key={id} {...item} onClick={() => { close(); item.onClick(); }} />
          ))}
        </Popover>
      ) : null}
    </div>
  );
}

export function Controls(props: { session: RoomSession; ui: RoomUi; local: LocalMedia; pip: PictureInPicture; onLeave: () => void }) {
  const { session, ui, local } = props;
  const width = ui.width.value;
  const all = controls(session, ui, local, props.pip);
  const bar = all.filter((c) => inBar(c.place, width));
  const menu = all.filter((c) => !inBar(c.place, width));
  const first = useRef<HTMLDivElement>(null);
  useEffect(() => first.current?.querySelector<HTMLButtonElement>("button")?.focus(), []);
  const media = bar.filter((c) => MEDIA.has(c.id));
  const rest = bar.filter((c) => !MEDIA.has(c.id));
  return (
    <footer class="controls" aria-label="Meeting controls" data-width={width}>
      <div class="controls-group" ref={first}>
        {media.map(({ id, ...c }) => (
          <ControlButton key={id} {...c} />
        ))}
        <Reactions session={session} />
      </div>
      <div class="controls-group">
        {rest.map(({ id, ...c }) => (
          <ControlButton key={id} {...c} />
        ))}
        <More items={menu} />
      </div>
      <div class="controls-group">
        <ControlButton text="Leave" label="Leave the meeting" icon="leave" tone="leave" onClick={props.onLeave} />
      </div>
    </footer>
  );
}
