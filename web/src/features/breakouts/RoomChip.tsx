/** The top bar's word on the breakout rooms: "Breakout room: Red", and the time left when they
 * close by themselves ("· 4:32 left", every second; the main room's people see it too); while
 * participants may choose their room, a participant's way to the rooms panel ("Choose a room");
 * in a room, a participant's call for a host ("Ask for help", then "Cancel help request") and way
 * back ("Return to the main room"). */
import "./breakouts.css";
import { useEffect, useState } from "preact/hooks";
import { runsMeeting } from "../hosts/controls";
import type { RoomSession } from "../room/session";
import type { RoomUi } from "../room/store";
import { roomName, timeLeft } from "./breakouts";
import type { HelpDesk } from "./help";

/** A participant in a breakout room asks the hosts to come, or no longer. */
export function AskForHelp({ help }: { help: HelpDesk }) {
  const [busy, setBusy] = useState(false);
  if (!help.mayAsk.value) return null;
  const asking = help.asking.value;
  const press = async () => {
    setBusy(true);
    await help.ask(!asking);
    setBusy(false);
  };
  return (
    <>
      {/* Short, in a top bar: what the hosts said of it was said in full (HELP_LATER_TEXT). */}
      {asking ? <span class="help-asked">{help.toldLater.value ? "Help asked: the hosts will come when they can" : "Help asked: a host will come"}</span> : null}
      <button class="btn btn-ghost btn-small" type="button" disabled={busy} onClick={() => void press()}>
        {asking ? "Cancel help request" : "Ask for help"}
      </button>
    </>
  );
}

/** A participant in a breakout room goes back to the main room (the server always lets them). */
export function ReturnToMain({ session }: { session: RoomSession }) {
  const [busy, setBusy] = useState(false);
  const { hosting } = session;
  if (session.myRoom.value === null || runsMeeting(hosting.myRole.value)) return null;
  const press = async () => {
    setBusy(true);
    await session.help.returnToMain();
    setBusy(false);
  };
  return (
    <button class="btn btn-ghost btn-small" type="button" disabled={busy} onClick={() => void press()}>
      Return<span class="visually-hidden"> to the main room</span>
    </button>
  );
}

export function RoomChip({ session, ui }: { session: RoomSession; ui: RoomUi }) {
  const room = session.myRoom.value;
  const { rooms, roomsCloseAt } = session.hosting.switches.value;
  const choosing = session.hosting.choosesRoom.value;
  const clock = session.meeting.clock; // the server's: roomsCloseAt is its time
  const [now, setNow] = useState(clock.now());
  useEffect(() => {
    if (roomsCloseAt === null) return;
    setNow(clock.now());
    const timer = setInterval(() => setNow(clock.now()), 1000);
    return () => clearInterval(timer);
  }, [roomsCloseAt, clock]);
  const timed = rooms.length > 0 && roomsCloseAt !== null;
  if (room === null && !timed && !choosing) return null;
  return (
    <>
      <span class="room-chip">
        {room === null ? "Breakout rooms" : `Breakout room: ${roomName(room, rooms)}`}
        {timed ? ` · ${timeLeft(roomsCloseAt, now)} left` : ""}
      </span>
      {choosing ? (
        <button class="btn btn-ghost btn-small" type="button" onClick={() => ui.setPanel("rooms")}>
          Choose a room
        </button>
      ) : null}
      <AskForHelp help={session.help} />
      {choosing ? null : <ReturnToMain session={session} />}
    </>
  );
}
