/** The control bar: media, screen, devices, whiteboard, recording, the side panels, leave. */
import { useEffect, useRef } from "preact/hooks";
import type { LocalMedia } from "../../core/meeting/media";
import type { IconName } from "../../ui/dom";
import { Icon } from "../../ui/Icon";
import { toggleRecording } from "../recordings/recording";
import type { RoomSession } from "../room/session";
import type { Panel, RoomUi } from "../room/store";
import { toggleWhiteboard } from "../whiteboard/WhiteboardHost";
import { MediaToggle } from "./MediaToggle";

/** A round button whose hover tooltip is its accessible name. */
function RoundButton(props: {
  label: string;
  icon: IconName;
  pressed?: boolean;
  class?: string;
  disabled?: boolean;
  panel?: Panel;
  onClick: () => void;
  children?: preact.ComponentChildren;
}) {
  return (
    <button
      class={props.class ? `btn-round ${props.class}` : "btn-round"}
      type="button"
      aria-label={props.label}
      title={props.label}
      aria-pressed={props.pressed}
      data-panel={props.panel}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      <Icon name={props.icon} />
      {props.children}
    </button>
  );
}

const PANELS: readonly [Panel, string, IconName][] = [
  ["people", "People", "people"],
  ["chat", "Chat", "chat"],
  ["files", "Files", "file"],
  ["recordings", "Recordings", "library"],
];

function PanelButtons({ ui }: { ui: RoomUi }) {
  const open = ui.panel.value;
  const unread = ui.unreadChat.value;
  return (
    <div class="controls-group">
      {PANELS.map(([name, label, icon]) => (
        <RoundButton key={name} label={label} icon={icon} panel={name} pressed={open === name} onClick={() => ui.togglePanel(name)}>
          {name === "chat" ? (
            <span class="unread" hidden={!unread}>
              {unread ? String(unread) : ""}
            </span>
          ) : name === "files" ? (
            <span class="unread" hidden={!ui.unreadFiles.value} />
          ) : (
            <span class="unread" hidden />
          )}
        </RoundButton>
      ))}
    </div>
  );
}

export function Controls(props: { session: RoomSession; ui: RoomUi; local: LocalMedia; onLeave: () => void }) {
  const { session, ui, local } = props;
  const state = local.state.value;
  const recorder = ui.recorder.value;
  const mic = useRef<HTMLButtonElement>(null);
  useEffect(() => mic.current?.focus(), []);
  return (
    <footer class="controls" aria-label="Meeting controls">
      <div class="controls-group">
        <MediaToggle what="microphone" on={state.micOn} shortcut="Control+D" buttonRef={mic} onToggle={() => void local.setMic(!local.micOn)} />
        <MediaToggle what="camera" on={state.camOn} shortcut="Control+E" onToggle={() => void local.setCam(!local.camOn)} />
        <RoundButton
          label={state.sharing ? "Stop sharing your screen" : "Share your screen"}
          icon="screen"
          pressed={state.sharing}
          class={state.sharing ? "active" : undefined}
          onClick={() => void (local.sharing ? local.stopScreenShare() : local.startScreenShare())}
        />
        <RoundButton label="Devices" icon="settings" onClick={() => (ui.dialog.value = { kind: "settings" })} />
      </div>
      <div class="controls-group">
        <RoundButton
          label="Whiteboard"
          icon="board"
          pressed={ui.whiteboard.value === "open"}
          disabled={ui.whiteboard.value === "loading"}
          onClick={() => toggleWhiteboard(ui)}
        />
        <RoundButton
          label={recorder ? "Stop recording" : "Record to this browser"}
          icon="record"
          pressed={!!recorder}
          class={recorder ? "active-rec" : undefined}
          disabled={ui.recordingBusy.value}
          onClick={() => void toggleRecording(session, ui, local)}
        />
      </div>
      <PanelButtons ui={ui} />
      <div class="controls-group">
        <RoundButton label="Leave the meeting" icon="leave" class="btn-leave" onClick={props.onLeave} />
      </div>
    </footer>
  );
}
