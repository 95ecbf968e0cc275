/**
 * Breakout rooms, for the host and co-hosts: open rooms (how many, their names, everyone spread
 * over them or placed by hand, whether participants may choose their own, a timer), then see who
 * is where, move people (oneself too, to visit a room) and close them, which brings everyone
 * back, told who asks for help where. A participant sees where they are and, when the hosts let
 * them, joins a room or returns; in a room, asks the hosts to come.
 */
import "./breakouts.css";
import { useState } from "preact/hooks";
import { runsMeeting } from "../hosts/controls";
import type { RoomSession } from "../room/session";
import { AskForHelp, ReturnToMain } from "./RoomChip";
import { defaultRoomNames, groups, MAX_ROOM_NAME, MAX_ROOMS, offersCountdown, ROOM_TIMERS, roomName, roomNamesProblem, spread } from "./breakouts";

/** Where one person goes: the main room (0) or a room's number. */
function RoomSelect(props: { id: string; label: string; names: readonly string[]; value: number; onChange: (room: number) => void }) {
  return (
    <select id={props.id} aria-label={props.label} value={String(props.value)} onChange={(e) => props.onChange(Number(e.currentTarget.value))}>
      <option value="0">Main room</option>
      {props.names.map((name, i) => (
        <option key={i} value={String(i + 1)}>
          {name || `Room ${i + 1}`}
        </option>
      ))}
    </select>
  );
}

function OpenRooms({ session }: { session: RoomSession }) {
  const { meeting, hosting } = session;
  const [names, setNames] = useState<string[]>(defaultRoomNames(2));
  const [byHand, setByHand] = useState(false);
  const [placed, setPlaced] = useState<Record<string, number>>({});
  const [choose, setChoose] = useState(false);
  const [minutes, setMinutes] = useState(0);
  const [problem, setProblem] = useState("");
  const people = [...meeting.roster.value.values()].filter((p) => p.state === "joined" && p.uid !== meeting.myUid);
  const setCount = (n: number) => setNames(Array.from({ length: n }, (_, i) => names[i] ?? `Room ${i + 1}`));
  const open = async (event: Event) => {
    event.preventDefault();
    const wrong = roomNamesProblem(names);
    setProblem(wrong ?? "");
    if (wrong) return;
    // Spread: the participants over the rooms; hosts and co-hosts stay to run the meeting.
    const everyone = people.filter((p) => !runsMeeting(p.role)).map((p) => p.uid);
    const assign = byHand ? Object.fromEntries(Object.entries(placed).filter(([, room]) => room > 0 && room <= names.length)) : spread(everyone, names.length);
    await hosting.act("rooms-open", undefined, undefined, { rooms: names.map((n) => n.trim()), assign, choose, minutes: minutes || null });
  };
  return (
    <form class="breakout-open" onSubmit={(e) => void open(e)}>
      <div class="field">
        <label for="breakout-count">Number of rooms</label>
        <select id="breakout-count" value={String(names.length)} onChange={(e) => setCount(Number(e.currentTarget.value))}>
          {Array.from({ length: MAX_ROOMS }, (_, i) => (
            <option key={i} value={String(i + 1)}>
              {i + 1}
            </option>
          ))}
        </select>
      </div>
      <fieldset class="breakout-names">
        <legend>Names</legend>
        {names.map((name, i) => (
          <input key={i} type="text" aria-label={`Name of room ${i + 1}`} maxLength={MAX_ROOM_NAME} value={name} onInput={(e) => setNames(names.map((n, j) => (j === i ? e.currentTarget.value : n)))} />
        ))}
      </fieldset>
      <fieldset>
        <legend>Who goes where</legend>
        <label class="breakout-choice">
          <input type="radio" name="breakout-how" checked={!byHand} onChange={() => setByHand(false)} />
          Spread the participants over the rooms (hosts stay in the main room)
        </label>
        <label class="breakout-choice">
          <input type="radio" name="breakout-how" checked={byHand} onChange={() => setByHand(true)} />
          Let me choose
        </label>
      </fieldset>
      {byHand ? (
        <ul class="breakout-people">
          {people.map((p) => (
            <li key={p.uid}>
              <span>{p.displayName}</span>
              <RoomSelect id={`breakout-place-${p.uid}`} label={`Room for ${p.displayName}`} names={names} value={placed[p.uid] ?? 0} onChange={(room) => setPlaced({ ...placed, [p.uid]: room })} />
            </li>
          ))}
        </ul>
      ) : null}
      <label class="breakout-choice">
        <input type="checkbox" checked={choose} onChange={(e) => setChoose(e.currentTarget.checked)} />
        Let participants choose their room
      </label>
      <div class="field">
        <label for="breakout-minutes">Close the rooms by themselves</label>
        <select id="breakout-minutes" value={String(minutes)} onChange={(e) => setMinutes(Number(e.currentTarget.value))}>
          {ROOM_TIMERS.map((m) => (
            <option key={m} value={String(m)}>
              {m ? `after ${m} minutes` : "Never (a host closes them)"}
            </option>
          ))}
        </select>
      </div>
      <p class={problem ? "form-error small" : "visually-hidden"} role="status">
        {problem}
      </p>
      <button class="btn btn-primary" type="submit">
        Open rooms
      </button>
    </form>
  );
}

/** The rooms as they run: who is where; a host moves anyone and closes them, a participant let
 * choose (`hostView` false) joins a room or returns. */
function RunningRooms({ session, hostView }: { session: RoomSession; hostView: boolean }) {
  const { meeting, hosting } = session;
  const { rooms: names, roomsChoice, roomsCloseAt } = hosting.switches.value;
  const mine = session.myRoom.value;
  const asking = new Map(session.help.calls.value.map((call) => [call.uid, call.later]));
  const move = (uid: string, room: number) => void hosting.act("move", uid, undefined, { room });
  return (
    <div class="breakout-running">
      {groups(meeting.roster.value.values(), names).map((group) => (
        <section key={group.room ?? 0} class="breakout-room" aria-labelledby={`breakout-room-${group.room ?? 0}`}>
          <div class="breakout-room-head">
            <h3 id={`breakout-room-${group.room ?? 0}`}>
              {group.name} ({group.people.length})
            </h3>
            {group.room !== mine ? (
              <button class="btn btn-small" type="button" onClick={() => move(meeting.myUid, group.room ?? 0)}>
                {group.room === null ? "Return" : "Join"}
                <span class="visually-hidden">{group.room === null ? " to the main room" : ` ${group.name}`}</span>
              </button>
            ) : (
              <span class="muted small">You are here</span>
            )}
          </div>
          <ul class="breakout-people">
            {group.people.map((p) => (
              <li key={p.uid}>
                <span>
                  {p.uid === meeting.myUid ? `${p.displayName} (you)` : p.displayName}
                  {asking.has(p.uid) ? <span class="help-badge">{asking.get(p.uid) ? "asks for help (later)" : "asks for help"}</span> : null}
                </span>
                {hostView ? <RoomSelect id={`breakout-move-${p.uid}`} label={`Move ${p.displayName} to`} names={names} value={group.room ?? 0} onChange={(room) => move(p.uid, room)} /> : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
      {hostView ? null : <AskForHelp help={session.help} />}
      {hostView ? (
        <div class="row">
          {offersCountdown(roomsCloseAt, meeting.clock.now()) ? (
            <button class="btn" type="button" onClick={() => void hosting.act("rooms-close", undefined, undefined, { minutes: 1 })}>
              Close in 1 minute
            </button>
          ) : null}
          <button class="btn" type="button" onClick={() => void hosting.act("rooms-close")}>
            Close rooms
          </button>
        </div>
      ) : null}
      <p class="muted small">
        {hostView ? "Closing the rooms brings everyone back to the main room; in 1 minute, everyone in a room is told first. " : ""}
        {hostView && roomsChoice ? "Participants may choose their room. " : ""}
        {roomsCloseAt !== null ? `The rooms close by themselves at ${new Date(roomsCloseAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}. ` : ""}
        You are in {roomName(mine, names)}.
      </p>
    </div>
  );
}

export function BreakoutPanel({ session }: { session: RoomSession }) {
  const { hosting } = session;
  const { rooms } = hosting.switches.value;
  const open = rooms.length > 0;
  const host = runsMeeting(hosting.myRole.value);
  if (!host && !hosting.choosesRoom.value) {
    return (
      <div class="pane">
        <p class="muted">
          {open ? `A host places people in the breakout rooms. You are in ${roomName(session.myRoom.value, rooms)}.` : "Only the host and co-hosts open breakout rooms."}
        </p>
        <div class="row">
          <AskForHelp help={session.help} />
          <ReturnToMain session={session} />
        </div>
      </div>
    );
  }
  return (
    <div class="pane breakout-panel">
      {open ? <RunningRooms session={session} hostView={host} /> : <OpenRooms session={session} />}
      {hosting.problem.value ? (
        <p class="form-error small" role="alert">
          {hosting.problem.value}
        </p>
      ) : null}
      <p class="muted small">
        Everyone stays in this meeting and connects only with the people of their room: their video, chat, files and
        whiteboard stay in the room.
      </p>
    </div>
  );
}
