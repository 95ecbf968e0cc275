/** What the board's tests share: connections that keep what was sent, and boards over them. */
import { signal } from "@preact/signals-core";
import { Board, type BoardChange, type BoardLink, type BoardRules } from "./board";

/** A connection's board channel as the board sees it: who it is, and what was sent on it. */
export function link(uid: string, role: "caller" | "callee" = "callee") {
  const sent: string[] = [];
  const l: BoardLink & { sent: string[] } = {
    uid,
    role,
    sent,
    send: (_label, data) => {
      sent.push(data);
      return true;
    },
  };
  return l;
}

export function board(...links: ReturnType<typeof link>[]) {
  return heldBoard({ draws: () => true, drawingOff: signal(false) }, ...links);
}

/** A board whose meeting's hosts allow drawing by `rules`. */
export function heldBoard(rules: BoardRules, ...links: ReturnType<typeof link>[]) {
  const meeting = { links: new Map(links.map((l) => [l.uid, l])), displayName: (uid: string) => uid.toUpperCase() };
  const b = new Board(meeting, rules);
  const changes: BoardChange[] = [];
  const activity: string[] = [];
  b.on("change", (c) => changes.push(c));
  b.on("activity", (a) => activity.push(a));
  return { b, changes, activity };
}

export const stroke = (id: string, pts: number[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ t: "stroke", id, color: "#d93025", width: 6, erase: false, pts, ...extra });

