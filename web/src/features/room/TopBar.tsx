/** The top bar: title, the invitation, who records, the status line, privacy mode, the people count. */
import { RoomChip } from "../breakouts/RoomChip";
import { useEffect, useState } from "preact/hooks";
import { formatBytes, formatDuration } from "../../ui/dom";
import { Icon } from "../../ui/Icon";
import type { RoomSession } from "./session";
import type { RoomUi } from "./store";

/** Privacy mode: "IP hidden", or why it cannot work here. */
function PrivacyBadge({ session }: { session: RoomSession }) {
  const privacy = session.meeting.privacy.value;
  if (!privacy.relayOnly) return null;
  if (!privacy.relayAvailable) {
    return (
      <span class="privacy-badge problem" role="status">
        IP hiding needs a relay server, which this service does not offer: you reach nobody
      </span>
    );
  }
  const why = privacy.required ? "Your organisation requires it" : "You chose it";
  return (
    <span class="privacy-badge" title={`${why}: the others see the relay server's address, not yours`}>
      <Icon name="eyeOff" />
      IP hidden
    </span>
  );
}

/** "● You, Bob (paused) recording": everyone who told us they record, us first; a paused
 * recording records nothing now, and says so. */
function RecBanner(props: { session: RoomSession; ui: RoomUi }) {
  const { session, ui } = props;
  const recorders = [...session.meeting.peers.value.values()]
    .filter((link) => link.view.value.remoteMedia.recording || link.view.value.remoteMedia.recordingPaused)
    .map((link) => `${session.name(link.uid)}${link.view.value.remoteMedia.recording ? "" : " (paused)"}`);
  if (ui.recorder.value) recorders.unshift(ui.recordingPaused.value ? "You (paused)" : "You");
  return (
    <span class="rec-banner" hidden={!recorders.length}>
      {recorders.length ? `● ${recorders.join(", ")} recording` : ""}
    </span>
  );
}

/** How long and how much our own recording has written so far, every second. */
function RecClock({ ui }: { ui: RoomUi }) {
  const recorder = ui.recorder.value;
  const [, tick] = useState(0);
  useEffect(() => {
    if (!recorder) return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [recorder]);
  return (
    <span class="rec-clock" hidden={!recorder} aria-hidden="true" data-bytes={recorder ? String(recorder.bytes) : undefined}>
      {recorder ? `${formatDuration(recorder.recordedMs)}${ui.recordingPaused.value ? " paused" : ""} · ${formatBytes(recorder.bytes)}` : ""}
    </span>
  );
}

export function TopBar(props: { session: RoomSession; ui: RoomUi }) {
  const { session, ui } = props;
  const { meetingId } = session.meeting;
  const n = session.present.value.length;
  return (
    <header class="room-top">
      <a class="brand" href="/" data-link aria-label="AVMeets home" title="AVMeets home (leaves the meeting)">
        <Icon name="cam" />
      </a>
      <h1 class="room-title" id="room-title">{session.meeting.title || "Meeting"}</h1>
      <button class="btn btn-ghost btn-small invite-button" type="button" onClick={() => (ui.dialog.value = { kind: "invite" })}>
        <Icon name="invite" />
        Invite
        <span class="code">{meetingId}</span>
      </button>
      <RoomChip session={session} ui={ui} />
      <RecBanner session={session} ui={ui} />
      <RecClock ui={ui} />
      <span class="spacer" />
      {/* Not live: its changes are said once by the page's announcer (room/notifications.ts). */}
      <p class="room-status">{ui.status.value}</p>
      <PrivacyBadge session={session} />
      <span class="e2e" title="Media and data go directly between browsers, encrypted with DTLS">
        <Icon name="lock" />
        Peer-to-peer
      </span>
      <span class="count">{`${n} ${n === 1 ? "person" : "people"}`}</span>
    </header>
  );
}
