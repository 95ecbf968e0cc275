/** The top bar's word on the breakout rooms: "Breakout room: Red", and the time left when they
 * close by themselves ("· 4:32 left", every second; the main room's people see it too). */
import "./breakouts.css";
import { useEffect, useState } from "preact/hooks";
import type { RoomSession } from "../room/session";
import { roomName, timeLeft } from "./breakouts";

export function RoomChip({ session }: { session: RoomSession }) {
  const room = session.myRoom.value;
  const { rooms, roomsCloseAt } = session.hosting.switches.value;
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (roomsCloseAt === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [roomsCloseAt]);
  const timed = rooms.length > 0 && roomsCloseAt !== null;
  if (room === null && !timed) return null;
  return (
    <span class="room-chip">
      {room === null ? "Breakout rooms" : `Breakout room: ${roomName(room, rooms)}`}
      {timed ? ` · ${timeLeft(roomsCloseAt, now)} left` : ""}
    </span>
  );
}
