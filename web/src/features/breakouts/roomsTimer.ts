/**
 * Timed breakout rooms (docs/protocol.md section 5): a minute before the meeting's
 * `roomsCloseAt` everyone in a room is told; at it, a host's or co-host's page closes the rooms
 * (`rooms-close`; the server's sweep does it, a minute late at most, when no host is there).
 * By the server's clock (Meeting.clock): a device clock hours off would close them at once.
 */
import { effect } from "@preact/signals-core";
import { announce } from "../../core/announce";
import { runsMeeting } from "../hosts/controls";
import type { RoomSession } from "../room/session";
import { timerStep } from "./breakouts";

export function startRoomsTimer(session: RoomSession, now: () => number = () => session.meeting.clock.now()): () => void {
  const { hosting } = session;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let warnedFor: number | null = null;
  const stop = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  const check = (closeAt: number) => {
    stop();
    const step = timerStep(closeAt, now(), warnedFor === closeAt);
    if (step.warn) {
      warnedFor = closeAt;
      if (session.myRoom.peek() !== null) announce("Breakout rooms close in 1 minute", { urgency: "assertive" });
    }
    if (step.close) {
      if (runsMeeting(hosting.myRole.peek())) void hosting.act("rooms-close");
      return;
    }
    timer = setTimeout(() => check(closeAt), step.inMs || 250);
  };
  const off = effect(() => {
    const { rooms, roomsCloseAt } = hosting.switches.value;
    void hosting.myRole.value; // subscribed: someone made a co-host while they run closes them too
    if (!rooms.length || roomsCloseAt === null) stop();
    else check(roomsCloseAt);
  });
  return () => {
    off();
    stop();
  };
}
