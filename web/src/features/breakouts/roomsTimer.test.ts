import { signal } from "@preact/signals-core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { onAnnounce } from "../../core/announce";
import type { ParticipantRole } from "../../protocol.gen";
import type { MeetingSwitches } from "../hosts/hosting";
import type { RoomSession } from "../room/session";
import { startRoomsTimer } from "./roomsTimer";

/** The parts of a session the timer reads: the meeting's switches, our role and room, and act. */
function fakeSession(role: ParticipantRole, room: number | null) {
  const switches = signal<MeetingSwitches>({ locked: false, lobby: false, hasOrg: false, restricted: [], rooms: [], roomsChoice: false, roomsCloseAt: null });
  const myRole = signal<ParticipantRole>(role);
  const act = vi.fn(async () => true);
  const session = { hosting: { switches, myRole, act }, myRoom: signal(room) } as unknown as RoomSession;
  return { session, switches, myRole, act };
}

describe("the rooms' timer", () => {
  const said: string[] = [];
  let off: () => void = () => undefined;
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    said.length = 0;
    off = onAnnounce((a) => said.push(a.text));
  });
  afterEach(() => {
    off();
    vi.useRealTimers();
  });

  it("warns those in a room a minute before and has a host's page close the rooms when due", () => {
    const host = fakeSession("cohost", null);
    const guest = fakeSession("participant", 1);
    const stops = [host, guest].map(({ session, switches }) => {
      const stop = startRoomsTimer(session, () => Date.now());
      switches.value = { ...switches.peek(), rooms: ["Red"], roomsCloseAt: 300_000 };
      return stop;
    });
    vi.advanceTimersByTime(239_000);
    expect(said).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(said).toEqual(["Breakout rooms close in 1 minute"]); // the guest's page; the host is in the main room
    vi.advanceTimersByTime(59_000);
    expect(host.act).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(host.act).toHaveBeenCalledWith("rooms-close");
    expect(guest.act).not.toHaveBeenCalled(); // a participant's page never closes them
    for (const stop of stops) stop();
  });

  it("forgets a timer the hosts took away, and a page made co-host later closes the rooms", () => {
    const { session, switches, myRole, act } = fakeSession("participant", 1);
    const stop = startRoomsTimer(session, () => Date.now());
    switches.value = { ...switches.peek(), rooms: ["Red"], roomsCloseAt: 120_000 };
    switches.value = { ...switches.peek(), roomsCloseAt: null }; // opened anew without a timer
    vi.advanceTimersByTime(200_000);
    expect(said).toEqual([]);
    switches.value = { ...switches.peek(), roomsCloseAt: 100_000 }; // already due
    expect(act).not.toHaveBeenCalled();
    myRole.value = "cohost";
    expect(act).toHaveBeenCalledWith("rooms-close");
    stop();
  });
});
