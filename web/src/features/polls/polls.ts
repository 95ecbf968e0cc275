/**
 * Polls: a host or co-host asks everyone one question with a few answers, on the "polls" data
 * channel (JSON text). Votes go to the asker's browser only, which counts them; ending the poll
 * shares the counts, never who chose what. Nothing reaches a server, nothing is stored.
 *
 *   {"t":"poll","id":s,"question":s,"options":[s,…],"at":ms}  a host or co-host asks everyone
 *                                                            (2-10 answers); a newer `at`
 *                                                            replaces, an older or the same
 *                                                            id (sent again) is ignored
 *   {"t":"vote","id":s,"choice":n}                            to the asker only: the sender's
 *                                                            answer (0-based; the last one counts)
 *   {"t":"results","id":s,"counts":[n,…],"voters":n}          the asker ended the poll: how many
 *                                                            chose each answer, and voted at all
 *
 * When a connection's channel opens, an asker with an open poll sends it, so a newcomer can vote.
 * A poll from anyone who does not run the meeting is ignored, as are votes for a poll one did not
 * ask, results from anyone but the poll's asker, and anything else. An asker who leaves takes the
 * open poll with them.
 */
import { signal } from "@preact/signals-core";
import { parseJsonObject } from "../../core/meeting/channelJson";
import type { ChannelProtocol, ProtocolMeeting } from "../../core/meeting/link";
import type { PeerLink } from "../../core/meeting/peer";
import { Emitter } from "../../core/state/emitter";

export const MAX_QUESTION_CHARS = 200;
export const MAX_OPTION_CHARS = 80;
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 10;
const MAX_ID = 64;

export type PollMessage =
  | { t: "poll"; id: string; question: string; options: string[]; at: number }
  | { t: "vote"; id: string; choice: number }
  | { t: "results"; id: string; counts: number[]; voters: number };

const oneLine = (text: string, max: number) => text.replace(/\s+/g, " ").trim().slice(0, max);
const isId = (id: unknown): id is string => typeof id === "string" && id.length > 0 && id.length <= MAX_ID;
const isCount = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;

/** A poll message, or null for anything the protocol does not know. Pure. */
export function parsePollMessage(text: string): PollMessage | null {
  const m = parseJsonObject(text);
  if (!m || !isId(m.id)) return null;
  if (m.t === "poll") {
    const question = typeof m.question === "string" ? oneLine(m.question, MAX_QUESTION_CHARS) : "";
    const raw = Array.isArray(m.options) ? m.options : [];
    const options = raw.map((o) => (typeof o === "string" ? oneLine(o, MAX_OPTION_CHARS) : ""));
    const valid = options.length >= MIN_OPTIONS && options.length <= MAX_OPTIONS && options.every(Boolean);
    if (!question || !valid || !Number.isFinite(m.at)) return null;
    return { t: "poll", id: m.id, question, options, at: Number(m.at) };
  }
  if (m.t === "vote" && isCount(m.choice)) return { t: "vote", id: m.id, choice: m.choice };
  if (m.t === "results" && Array.isArray(m.counts) && m.counts.every(isCount) && isCount(m.voters)) {
    return { t: "results", id: m.id, counts: m.counts, voters: m.voters };
  }
  return null;
}

/** What is wrong with a poll as typed, or null (blank answers are left out). Pure. */
export function pollProblem(question: string, options: readonly string[]): string | null {
  if (!oneLine(question, MAX_QUESTION_CHARS)) return "Write the question.";
  const answers = options.map((o) => oneLine(o, MAX_OPTION_CHARS)).filter(Boolean);
  if (answers.length < MIN_OPTIONS) return `Give at least ${MIN_OPTIONS} answers.`;
  if (new Set(answers.map((a) => a.toLowerCase())).size !== answers.length) return "Two answers are the same.";
  return null;
}

/** How many chose each of `n` answers. Pure. */
export function tally(votes: ReadonlyMap<string, number>, n: number): number[] {
  const counts: number[] = new Array<number>(n).fill(0);
  for (const choice of votes.values()) if (choice < n) counts[choice]++;
  return counts;
}

/** A count as a whole percentage of `total` (0 of nobody). Pure. */
export function percent(count: number, total: number): number {
  return total > 0 ? Math.round((100 * count) / total) : 0;
}

export interface Poll {
  id: string;
  /** Who asked. */
  by: string;
  question: string;
  options: readonly string[];
  at: number;
  /** Our answer, once given. */
  mine: number | null;
  /** Open; ended (with its results); or gone with its asker, unanswered. */
  state: "open" | "ended" | "gone";
  /** The counts: live for the asker, shared by them at the end for everyone else. */
  counts: readonly number[] | null;
  voters: number;
}

type PollEvents = {
  /** Someone else asked a question. */
  asked: Poll;
  /** Someone else's poll ended with results, or went with its asker. */
  ended: Poll;
};

export class Polls extends Emitter<PollEvents> implements ChannelProtocol {
  readonly label = "polls";
  /** The poll shown: the newest asked, until a newer one. */
  readonly current = signal<Poll | null>(null);
  /** The votes for our own open poll: uid → answer. */
  private votes = new Map<string, number>();

  constructor(
    private readonly meeting: ProtocolMeeting,
    /** Whether `uid` runs the meeting (its role as the server wrote it): only they ask. */
    private readonly runsMeeting: (uid: string) => boolean,
  ) {
    super();
  }

  /** Whether the poll shown is ours and still open. */
  get asking(): boolean {
    const poll = this.current.peek();
    return poll?.by === this.meeting.myUid && poll.state === "open";
  }

  /** Ask everyone (as a host or co-host); blank answers are left out. */
  ask(question: string, options: readonly string[]): void {
    const answers = options.map((o) => oneLine(o, MAX_OPTION_CHARS)).filter(Boolean).slice(0, MAX_OPTIONS);
    const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    const poll: Poll = {
      id, by: this.meeting.myUid, question: oneLine(question, MAX_QUESTION_CHARS), options: answers,
      at: Math.max(this.meeting.clock.now(), (this.current.peek()?.at ?? 0) + 1), mine: null, state: "open", counts: tally(new Map(), answers.length), voters: 0,
    };
    this.votes = new Map();
    this.current.value = poll;
    this.broadcast(this.pollMessage(poll));
  }

  /** Our answer to the open poll; false when it could not reach the asker. */
  vote(choice: number): boolean {
    const poll = this.current.peek();
    if (!poll || poll.state !== "open" || choice < 0 || choice >= poll.options.length) return false;
    if (poll.by === this.meeting.myUid) {
      this.counted(this.meeting.myUid, choice);
    } else {
      const link = this.meeting.links.get(poll.by);
      if (!link?.send("polls", JSON.stringify({ t: "vote", id: poll.id, choice }))) return false;
    }
    this.current.value = { ...this.current.peek()!, mine: choice };
    return true;
  }

  /** End our poll and share the counts with everyone. */
  end(): void {
    const poll = this.current.peek();
    if (!poll || !this.asking) return;
    const counts = tally(this.votes, poll.options.length);
    this.current.value = { ...poll, state: "ended", counts, voters: this.votes.size };
    this.broadcast(JSON.stringify({ t: "results", id: poll.id, counts, voters: this.votes.size }));
  }

  open(link: PeerLink): void {
    const poll = this.current.peek();
    if (poll && this.asking) link.send("polls", this.pollMessage(poll));
  }

  message(link: PeerLink, data: string | ArrayBuffer): void {
    const message = typeof data === "string" ? parsePollMessage(data) : null;
    const poll = this.current.peek();
    if (!message) return;
    if (message.t === "poll") {
      if (!this.runsMeeting(link.uid) || (poll && (poll.id === message.id || message.at < poll.at))) return;
      this.votes = new Map();
      const asked: Poll = { ...message, by: link.uid, mine: null, state: "open", counts: null, voters: 0 };
      this.current.value = asked;
      this.emit("asked", asked);
    } else if (message.t === "vote") {
      if (poll?.id === message.id && this.asking && message.choice < poll.options.length) this.counted(link.uid, message.choice);
    } else if (poll?.id === message.id && poll.by === link.uid && poll.state === "open" && message.counts.length === poll.options.length) {
      const ended: Poll = { ...poll, state: "ended", counts: message.counts, voters: message.voters };
      this.current.value = ended;
      this.emit("ended", ended);
    }
  }

  /** The asker gone (not only a channel): their open poll goes with them. */
  closed(link: PeerLink): void {
    if (this.meeting.links.has(link.uid)) return;
    const poll = this.current.peek();
    if (poll?.by !== link.uid || poll.state !== "open") return;
    const gone: Poll = { ...poll, state: "gone" };
    this.current.value = gone;
    this.emit("ended", gone);
  }

  private counted(uid: string, choice: number): void {
    this.votes.set(uid, choice);
    const poll = this.current.peek()!;
    this.current.value = { ...poll, counts: tally(this.votes, poll.options.length), voters: this.votes.size };
  }

  private pollMessage(poll: Poll): string {
    return JSON.stringify({ t: "poll", id: poll.id, question: poll.question, options: poll.options, at: poll.at });
  }

  private broadcast(text: string): void {
    for (const link of this.meeting.links.values()) link.send("polls", text);
  }
}
