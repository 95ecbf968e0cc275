import { signal } from "@preact/signals-core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { onAnnounce } from "../../core/announce";
import type { Meeting } from "../../core/meeting/meeting";
import type { Participant } from "../../core/meeting/roster";
import type { ParticipantRole } from "../../protocol.gen";
import type { Hosting, MeetingSwitches } from "../hosts/hosting";
import { HelpDesk } from "./help";

const person = (uid: string, room?: number, helpAt?: number, role: ParticipantRole = "participant", later = false): Participant => ({
  uid,
  displayName: uid.toUpperCase(),
  session: `s-${uid}`,
  state: "joined",
  role,
  ...(room ? { room } : {}),
  ...(helpAt ? { helpAt } : {}),
  ...(later ? { helpLater: true as const } : {}),
});

/** The parts the desk reads: the roster, our uid, the meeting's rooms, our role and act. */
function desk(myUid: string, people: Participant[]) {
  const roster = signal(new Map(people.map((p) => [p.uid, p])));
  const switches = signal<MeetingSwitches>({ locked: false, lobby: false, hasOrg: false, restricted: [], rooms: ["Red", "Blue"], roomsChoice: false, roomsCloseAt: null });
  const myRole = signal<ParticipantRole>(people.find((p) => p.uid === myUid)?.role ?? "participant");
  const problem = signal("");
  const act = vi.fn(async (action: string) => {
    if (action === "ask-help" && problem.peek()) return false;
    return true;
  });
  const meeting = { roster, myUid } as unknown as Meeting;
  const hosting = { switches, myRole, act, problem } as unknown as Hosting;
  const myRoom = signal<number | null>(people.find((p) => p.uid === myUid)?.room ?? null);
  const help = new HelpDesk(meeting, hosting, myRoom);
  const set = (...changed: Participant[]) => (roster.value = new Map([...roster.peek(), ...changed.map((p) => [p.uid, p] as const)]));
  return { help, act, set, myRole, myRoom, problem };
}

describe("asking for help from a breakout room", () => {
  const said: string[] = [];
  let off: () => void = () => undefined;
  beforeEach(() => {
    said.length = 0;
    off = onAnnounce((a) => said.push(a.text));
  });
  afterEach(() => off());

  it("tells a host of each new call once, not of those already there, nor a participant", () => {
    const host = desk("h", [person("h", undefined, undefined, "host"), person("a", 1, 5), person("b", 2)]);
    const guest = desk("c", [person("c"), person("a", 1, 5), person("b", 2)]);
    const stops = [host.help.start(), guest.help.start()];
    expect(said).toEqual([]); // Ann asked before we came: shown, not rung for
    expect(host.help.pending.value.map((c) => c.uid)).toEqual(["a"]);
    for (const page of [host, guest]) page.set(person("b", 2, 9));
    expect(said).toEqual(["B asks for help in Blue"]);
    host.set(person("b", 2, 9)); // the same call again: nothing
    host.set(person("b", 2), person("b", 2, 12)); // cancelled and asked again: new
    expect(said).toEqual(["B asks for help in Blue", "B asks for help in Blue"]);
    expect(host.help.calls.value.map((c) => [c.uid, c.roomName])).toEqual([
      ["a", "Red"],
      ["b", "Blue"],
    ]);
    for (const stop of stops) stop();
  });

  it("answers a call 'later' through the server, which takes it off every host's alert, and joins a room", async () => {
    const { help, act, set } = desk("h", [person("h", undefined, undefined, "cohost"), person("a", 1, 5), person("b", 2, 6)]);
    const [ann, ben] = help.pending.value;
    expect(await help.later(ann)).toBe(true);
    expect(act).toHaveBeenLastCalledWith("help-later", "a");
    expect(help.pending.value).toHaveLength(2); // until the server says so
    set(person("a", 1, 5, "participant", true));
    expect(help.pending.value.map((c) => c.uid)).toEqual(["b"]);
    expect(help.calls.value.map((c) => [c.uid, c.later])).toEqual([
      ["a", true],
      ["b", false],
    ]); // the rooms panel still shows it
    set(person("a", 1, 8)); // cancelled and asked anew
    expect(help.pending.value.map((c) => c.uid)).toEqual(["b", "a"]);
    await help.join(ben);
    expect(act).toHaveBeenCalledWith("move", "h", undefined, { room: 2 });
  });

  it("tells the asker once when a host answers 'later'", () => {
    const { help, set } = desk("a", [person("a", 1, 5), person("h", undefined, undefined, "host")]);
    const stop = help.start();
    expect(help.toldLater.value).toBe(false);
    set(person("a", 1, 5, "participant", true));
    set(person("a", 1, 5, "participant", true));
    expect(help.toldLater.value).toBe(true);
    expect(said).toEqual(["The hosts are helping others: one will come when they can"]);
    set(person("a", 1)); // cancelled: no longer told
    expect(help.toldLater.value).toBe(false);
    stop();
  });

  it("lets a participant in a room ask and cancel, says so, and says a refusal", async () => {
    const { help, act, set, myRoom, problem } = desk("a", [person("a", 1), person("h", undefined, undefined, "host")]);
    expect(help.mayAsk.value).toBe(true);
    expect(help.asking.value).toBe(false);
    await help.ask(true);
    expect(act).toHaveBeenLastCalledWith("ask-help");
    set(person("a", 1, 5));
    expect(help.asking.value).toBe(true);
    await help.ask(false);
    expect(act).toHaveBeenLastCalledWith("cancel-help");
    problem.value = "No breakout rooms are open.";
    await help.ask(true);
    expect(said).toEqual(["The hosts were told that you ask for help", "You no longer ask for help", "No breakout rooms are open."]);
    myRoom.value = null; // back in the main room, with the hosts
    expect(help.mayAsk.value).toBe(false);
  });

  it("is not offered to those who run the meeting", () => {
    const { help } = desk("c", [person("c", 1, undefined, "cohost")]);
    expect(help.mayAsk.value).toBe(false);
  });
});
