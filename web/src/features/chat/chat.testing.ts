/** What the chat's tests share: a meeting of fake connections that keep what was sent. */
import { Emitter } from "../../core/state/emitter";
import type { Meeting, MeetingEvents } from "../../core/meeting/meeting";

/** The part of a Meeting the chat uses: its chat events, its links' chat channels, names and
 * the server's clock (`now` sets it). */
export function meeting(...uids: string[]) {
  const sent = new Map<string, string[]>(uids.map((uid) => [uid, []]));
  const links = new Map(
    uids.map((uid) => [
      uid,
      {
        uid,
        send: (_label: string, data: string) => {
          if (uid === "gone") return false;
          sent.get(uid)!.push(data);
          return true;
        },
      },
    ]),
  );
  const emitter = new Emitter<MeetingEvents>();
  const clock = { at: 1_000, now: () => clock.at };
  const fake = Object.assign(emitter, { links, myUid: "me", myName: "Me", displayName: (uid: string) => uid.toUpperCase(), clock });
  return { meeting: fake as unknown as Meeting, emitter, sent, clock };
}

