/**
 * For the host and co-hosts, while the rooms panel is closed: who asks for help in which
 * breakout room, the longest waiting first, with "Join" (go to that room, which answers the
 * call) and "Later" (`help-later`: the asker is told the hosts are busy, every host's alert lets
 * the call be, and the rooms panel still shows it).
 */
import { useState } from "preact/hooks";
import { runsMeeting } from "../hosts/controls";
import type { RoomSession } from "../room/session";
import { helpCallText } from "./breakouts";

export function HelpAlert(props: { session: RoomSession; panelOpen: boolean; onShow: () => void }) {
  const { help, hosting } = props.session;
  const [busy, setBusy] = useState(false);
  const calls = help.pending.value;
  if (props.panelOpen || !runsMeeting(hosting.myRole.value) || !calls.length) return null;
  const call = calls[0];
  const here = props.session.myRoom.value === call.room;
  const press = (action: () => Promise<boolean>) => async () => {
    setBusy(true);
    await action();
    setBusy(false);
  };
  return (
    <section class="room-alert help-alert" aria-label="Asking for help">
      <p>{helpCallText(call)}</p>
      {calls.length > 1 ? <p class="muted small">{calls.length === 2 ? "1 more person asks for help" : `${calls.length - 1} more people ask for help`}</p> : null}
      {here ? (
        <span class="muted small">You are in {call.roomName}</span>
      ) : (
        <button class="btn btn-primary btn-small" type="button" disabled={busy} onClick={press(() => help.join(call))}>
          Join {call.roomName}
        </button>
      )}
      <button
        class="btn btn-ghost btn-small"
        type="button"
        disabled={busy}
        aria-label={`Later: ${helpCallText(call)}`}
        title="Tells them the hosts are busy and will come when they can"
        onClick={press(() => help.later(call))}
      >
        Later
      </button>
      <button class="btn btn-ghost btn-small" type="button" onClick={props.onShow}>
        See the rooms
      </button>
    </section>
  );
}
