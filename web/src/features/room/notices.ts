/**
 * The room's people events, said through core/announce: who joined and left, raised hands,
 * reactions (quietly: they float over the tile), the spotlight, and a connection that is lost,
 * back, failed or unstable. Returns the function that stops it.
 */
import { effect } from "@preact/signals-core";
import { announce } from "../../core/announce";
import { roomOf } from "../../core/meeting/roster";
import { movedNotice, othersMovedNotice, roomsNamed } from "../breakouts/breakouts";
import { REACTION_NAMES } from "../gestures/gestures";
import { linkNotice, presentingNotice, recordingNotice, rosterNotices, type LinkMood, type RecordingState } from "./noticeText";
import type { RoomSession } from "./session";

/** The same problem with the same person is said again only after this long. */
const PROBLEM_REPEAT_MS = 60_000;

function rosterEffect(session: RoomSession): () => void {
  const { meeting } = session;
  let before: ReadonlyMap<string, string> | null = null;
  return effect(() => {
    const after = new Map<string, string>();
    for (const [uid, p] of meeting.roster.value) if (uid !== meeting.myUid && p.state === "joined") after.set(uid, p.displayName);
    // Those present when we came in are not news.
    if (before) for (const text of rosterNotices(before, after)) announce(text);
    before = after;
  });
}

/** Breakout rooms: where a host moved us, and who came into or went from our room. */
function roomsEffect(session: RoomSession): () => void {
  const { meeting, hosting } = session;
  let before: Map<string, number | null> | null = null;
  return effect(() => {
    const names = hosting.switches.value.rooms;
    const after = new Map<string, number | null>();
    for (const [uid, p] of meeting.roster.value) if (p.state === "joined") after.set(uid, roomOf(p));
    const mine = after.get(meeting.myUid) ?? null;
    // The meeting's names may come after the rooms people are in: wait for them, to say each
    // room's name ("Bob went to Red", not "to Room 1").
    if (!roomsNamed(after.values(), names)) return;
    if (before) {
      const moved = movedNotice(before.get(meeting.myUid) ?? null, mine, names);
      const said: string[] = [];
      for (const [uid, room] of moved ? [] : after) {
        const was = before.get(uid);
        const words = uid === meeting.myUid || was === undefined ? null : othersMovedNotice(meeting.displayName(uid), was, room, mine, names);
        if (words) said.push(words);
      }
      // Rooms opened or closed move many at once: one line, not a toast each.
      for (const text of moved ? [moved] : said.length > 3 ? [`${said.length} people came or went`] : said) announce(text);
    }
    before = after;
  });
}

function connectionEffect(session: RoomSession): () => void {
  const { meeting } = session;
  const moods = new Map<string, LinkMood>();
  const said = new Map<string, number>();
  return effect(() => {
    for (const link of meeting.peers.value.values()) {
      const view = link.view.value;
      const mood: LinkMood = { state: view.state, problem: view.quality.problem };
      const text = linkNotice(moods.get(link.uid), mood, meeting.displayName(link.uid));
      moods.set(link.uid, mood);
      if (!text) continue;
      const key = `${link.uid}:${text}`;
      if (Date.now() - (said.get(key) ?? 0) < PROBLEM_REPEAT_MS) continue;
      said.set(key, Date.now());
      announce(text, { urgency: mood.state === "connected" ? "polite" : "assertive" });
    }
  });
}

/** "Bob is presenting" / "Bob is recording" once when it starts, and when it stops. */
function mediaEffect(session: RoomSession): () => void {
  const { meeting } = session;
  const seen = new Map<string, { screen: boolean; recording: RecordingState }>();
  return effect(() => {
    for (const link of meeting.peers.value.values()) {
      const media = link.view.value.remoteMedia;
      const screen = media.screen;
      const recording: RecordingState = media.recording ? "on" : media.recordingPaused ? "paused" : "off";
      const before = seen.get(link.uid) ?? { screen: false, recording: "off" };
      seen.set(link.uid, { screen, recording });
      const name = meeting.displayName(link.uid);
      if (screen !== before.screen) announce(presentingNotice(name, screen));
      const words = recordingNotice(name, before.recording, recording);
      if (words) announce(words);
    }
  });
}

export function startPeopleNotices(session: RoomSession): () => void {
  const { meeting, gestures } = session;
  const name = (uid: string) => (uid === meeting.myUid ? "You" : meeting.displayName(uid));
  const offs = [
    rosterEffect(session),
    roomsEffect(session),
    connectionEffect(session),
    mediaEffect(session),
    gestures.on("hand", ({ uid, up }) => {
      if (up && uid !== meeting.myUid) announce(`${name(uid)} raised a hand`);
    }),
    gestures.on("handLowered", ({ by }) => announce(`${name(by)} lowered your hand`)),
    gestures.on("reaction", ({ uid, emoji }) => announce(`${name(uid)}: ${REACTION_NAMES[emoji]}`, { quiet: true })),
    gestures.on("spotlight", ({ spotlight, by }) => {
      const who = name(by);
      if (!spotlight) announce(`${who} ended the spotlight`);
      else announce(`${who} put ${spotlight.uid === meeting.myUid ? "you" : name(spotlight.uid)} in the spotlight for everyone`);
    }),
    effect(() => {
      const privacy = meeting.privacy.value;
      if (privacy.relayOnly && !privacy.relayAvailable) {
        announce("Your IP address cannot be hidden here: the service has no relay server, so you reach nobody.", { urgency: "assertive" });
      }
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
