/** The top bar's word on where we are while breakout rooms are open: "Breakout room: Red". */
import "./breakouts.css";
import type { RoomSession } from "../room/session";
import { roomName } from "./breakouts";

export function RoomChip({ session }: { session: RoomSession }) {
  const room = session.myRoom.value;
  if (room === null) return null;
  return <span class="room-chip">Breakout room: {roomName(room, session.hosting.switches.value.rooms)}</span>;
}
