/** The top bar's word on where we are while breakout rooms are open: "Breakout room: Red". */
import "./breakouts.css";
import { roomOf } from "../../core/meeting/roster";
import type { RoomSession } from "../room/session";
import { roomName } from "./breakouts";

export function RoomChip({ session }: { session: RoomSession }) {
  const room = roomOf(session.meeting.roster.value.get(session.meeting.myUid));
  if (room === null) return null;
  return <span class="room-chip">Breakout room: {roomName(room, session.hosting.switches.value.rooms)}</span>;
}
