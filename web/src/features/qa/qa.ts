/**
 * Questions and answers: anyone asks the meeting a question, everyone upvotes the ones they want
 * answered, a host or co-host marks one answered or hides it. The "qa" data channel (JSON text);
 * each person's page is the source of its own questions and votes, nothing reaches a server,
 * nothing is stored.
 *
 *   {"t":"question","id":s,"text":s,"at":ms}                  the sender asks everyone
 *   {"t":"withdraw","id":s}                                  the sender takes its question back
 *   {"t":"upvote","asker":uid,"id":s,"up":bool}              the sender's vote on a question
 *   {"t":"mark","asker":uid,"id":s,"state":st,"at":ms}       a host or co-host marks a question
 *                                                            `open`, `answered` or `hidden`;
 *                                                            the newest `at` wins
 *
 * A question is known by its asker (the link it came on, never a field) and its id, so nobody
 * asks or withdraws in another's name, and a vote counts once a person. When a connection's
 * channel opens, each side sends its own questions and votes and, if it runs the meeting, the
 * marks it knows, so a newcomer sees the questions of everyone present. Questions of someone for
 * whom a host turned the chat off are ignored, marks from anyone who does not run the meeting
 * too, and anything else. A person who leaves leaves their questions on the pages that have them.
 */
import { signal, type ReadonlySignal } from "@preact/signals-core";
import { parseJsonObject } from "../../core/meeting/channelJson";
import type { ChannelProtocol, ProtocolMeeting } from "../../core/meeting/link";
import type { PeerLink } from "../../core/meeting/peer";
import { Emitter } from "../../core/state/emitter";

export const MAX_TEXT_CHARS = 300;
/** Questions one person may have in the meeting at once (more from a peer are ignored). */
export const MAX_QUESTIONS_EACH = 20;
/** Votes, and marks of questions not seen yet, kept from one peer (bounded memory). */
const MAX_VOTES_EACH = 500;
const MAX_ID = 128;
export const MARKS = ["open", "answered", "hidden"] as const;
export type Mark = (typeof MARKS)[number];

export type QaMessage =
  | { t: "question"; id: string; text: string; at: number }
  | { t: "withdraw"; id: string }
  | { t: "upvote"; asker: string; id: string; up: boolean }
  | { t: "mark"; asker: string; id: string; state: Mark; at: number };

const isId = (id: unknown): id is string => typeof id === "string" && id.length > 0 && id.length <= MAX_ID;

/** A question's text as shown and sent: whitespace runs one space, the ends trimmed, cut. Pure. */
export function tidyQuestion(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, MAX_TEXT_CHARS);
}

/** A Q&A message, or null for anything the protocol does not know. Pure. */
export function parseQaMessage(text: string): QaMessage | null {
  const m = parseJsonObject(text);
  if (!m || !isId(m.id)) return null;
  if (m.t === "question") {
    const tidy = typeof m.text === "string" ? tidyQuestion(m.text) : "";
    return tidy && Number.isFinite(m.at) ? { t: "question", id: m.id, text: tidy, at: Number(m.at) } : null;
  }
  if (m.t === "withdraw") return { t: "withdraw", id: m.id };
  if (!isId(m.asker)) return null;
  if (m.t === "upvote" && typeof m.up === "boolean") return { t: "upvote", asker: m.asker, id: m.id, up: m.up };
  if (m.t === "mark" && MARKS.includes(m.state as Mark) && Number.isFinite(m.at)) {
    return { t: "mark", asker: m.asker, id: m.id, state: m.state as Mark, at: Number(m.at) };
  }
  return null;
}

/** A question as shown. */
export interface Question {
  /** `asker id`: unique in the meeting. */
  key: string;
  asker: string;
  id: string;
  text: string;
  at: number;
  votes: number;
  /** We asked it. */
  mine: boolean;
  /** We upvoted it. */
  upvoted: boolean;
  state: Mark;
  /** Its asker left the meeting. */
  gone: boolean;
}

/** The open questions, most upvoted first (of as many, the oldest); then the answered; then the
 * hidden, which only those who run the meeting and the asker see. Pure. */
export function arrange(questions: readonly Question[], runsMeeting: boolean): Record<Mark, Question[]> {
  const sorted = [...questions].sort((a, b) => b.votes - a.votes || a.at - b.at || (a.key < b.key ? -1 : 1));
  const of = (state: Mark) => sorted.filter((q) => q.state === state && (state !== "hidden" || runsMeeting || q.mine));
  return { open: of("open"), answered: of("answered"), hidden: of("hidden") };
}

const keyOf = (asker: string, id: string) => `${asker} ${id}`;

interface Asked {
  asker: string;
  id: string;
  text: string;
  at: number;
}

type QaEvents = {
  /** Someone else asked a question. */
  asked: Question;
  /** A host marked one of our questions (answered, hidden or open again). */
  marked: Question;
};

/** Who may do what: ask (a host may turn the chat off, questions with it) and mark. */
export interface QaRules {
  asks(uid: string): boolean;
  runs(uid: string): boolean;
  /** The hosts turned the chat off for us. */
  readonly askingOff: ReadonlySignal<boolean>;
}

export class Questions extends Emitter<QaEvents> implements ChannelProtocol {
  readonly label = "qa";
  /** Every question known, in no order (arrange() orders them). */
  readonly questions = signal<readonly Question[]>([]);
  private asked = new Map<string, Asked>();
  /** key → who upvoted it. */
  private votes = new Map<string, Set<string>>();
  /** voter → the keys they upvoted (for the bound). */
  private votedBy = new Map<string, Set<string>>();
  private marks = new Map<string, { state: Mark; at: number }>();
  private gone = new Set<string>();

  constructor(
    private readonly meeting: ProtocolMeeting,
    private readonly rules: QaRules,
  ) {
    super();
  }

  /** The hosts turned the chat off for us, and questions with it. */
  get askingOff(): ReadonlySignal<boolean> {
    return this.rules.askingOff;
  }

  /** Ask everyone; the reason it cannot be asked, or null. */
  ask(text: string): string | null {
    const tidy = tidyQuestion(text);
    if (!tidy) return "Write the question.";
    if (this.rules.askingOff.peek()) return "A host turned the chat off for participants: questions too.";
    if (this.countOf(this.meeting.myUid) >= MAX_QUESTIONS_EACH) return `You have ${MAX_QUESTIONS_EACH} questions here: withdraw one first.`;
    const mine = [...this.asked.values()].filter((q) => q.asker === this.meeting.myUid);
    const at = Math.max(this.meeting.clock.now(), ...mine.map((q) => q.at + 1));
    const question: Asked = { asker: this.meeting.myUid, id: `${at.toString(36)}${Math.random().toString(36).slice(2, 8)}`, text: tidy, at };
    this.asked.set(keyOf(question.asker, question.id), question);
    this.broadcast({ t: "question", id: question.id, text: tidy, at });
    this.publish();
    return null;
  }

  withdraw(key: string): void {
    const question = this.asked.get(key);
    if (question?.asker !== this.meeting.myUid) return;
    this.forget(key);
    this.broadcast({ t: "withdraw", id: question.id });
    this.publish();
  }

  /** Our vote on someone else's question. */
  upvote(key: string, up: boolean): void {
    const question = this.asked.get(key);
    if (!question || question.asker === this.meeting.myUid) return;
    this.vote(this.meeting.myUid, key, up);
    this.broadcast({ t: "upvote", asker: question.asker, id: question.id, up });
    this.publish();
  }

  /** A host's or co-host's mark on a question, for everyone. */
  mark(key: string, state: Mark): void {
    const question = this.asked.get(key);
    if (!question || !this.rules.runs(this.meeting.myUid)) return;
    const at = Math.max(this.meeting.clock.now(), (this.marks.get(key)?.at ?? 0) + 1);
    this.marks.set(key, { state, at });
    this.broadcast({ t: "mark", asker: question.asker, id: question.id, state, at });
    this.publish();
  }

  open(link: PeerLink): void {
    this.gone.delete(link.uid);
    const me = this.meeting.myUid;
    const runs = this.rules.runs(me);
    for (const [key, q] of this.asked) {
      if (q.asker === me) link.send("qa", JSON.stringify({ t: "question", id: q.id, text: q.text, at: q.at }));
      if (this.gone.has(q.asker) || q.asker === link.uid) continue;
      if (this.votes.get(key)?.has(me)) link.send("qa", JSON.stringify({ t: "upvote", asker: q.asker, id: q.id, up: true }));
      const mark = this.marks.get(key);
      if (runs && mark) link.send("qa", JSON.stringify({ t: "mark", asker: q.asker, id: q.id, ...mark }));
    }
    this.publish();
  }

  message(link: PeerLink, data: string | ArrayBuffer): void {
    const message = typeof data === "string" ? parseQaMessage(data) : null;
    if (!message) return;
    const from = link.uid;
    if (message.t === "question") {
      const key = keyOf(from, message.id);
      if (this.asked.has(key) || !this.rules.asks(from) || this.countOf(from) >= MAX_QUESTIONS_EACH) return;
      this.asked.set(key, { asker: from, id: message.id, text: message.text, at: message.at });
      this.publish();
      this.emit("asked", this.view(key)!);
    } else if (message.t === "withdraw") {
      if (!this.asked.has(keyOf(from, message.id))) return;
      this.forget(keyOf(from, message.id));
      this.publish();
    } else if (message.t === "upvote") {
      if (message.asker === from) return;
      this.vote(from, keyOf(message.asker, message.id), message.up);
      this.publish();
    } else {
      const key = keyOf(message.asker, message.id);
      const before = this.marks.get(key);
      if (!this.rules.runs(from) || (before && before.at >= message.at)) return;
      if (!before && !this.asked.has(key) && this.marks.size >= MAX_VOTES_EACH) return;
      this.marks.set(key, { state: message.state, at: message.at });
      this.publish();
      const changed = (before?.state ?? "open") !== message.state;
      if (message.asker === this.meeting.myUid && changed && this.asked.has(key)) this.emit("marked", this.view(key)!);
    }
  }

  /** The asker gone (not only a channel): their questions stay, marked as theirs who left. */
  closed(link: PeerLink): void {
    if (this.meeting.links.has(link.uid)) return;
    this.gone.add(link.uid);
    this.publish();
  }

  private countOf(uid: string): number {
    let n = 0;
    for (const q of this.asked.values()) if (q.asker === uid) n++;
    return n;
  }

  private vote(voter: string, key: string, up: boolean): void {
    const mine = this.votedBy.get(voter) ?? new Set<string>();
    if (up && !mine.has(key) && mine.size >= MAX_VOTES_EACH) return;
    const voters = this.votes.get(key) ?? new Set<string>();
    if (up) {
      voters.add(voter);
      mine.add(key);
    } else {
      voters.delete(voter);
      mine.delete(key);
    }
    this.votes.set(key, voters);
    this.votedBy.set(voter, mine);
  }

  private forget(key: string): void {
    this.asked.delete(key);
    this.marks.delete(key);
    for (const voter of this.votes.get(key) ?? []) this.votedBy.get(voter)?.delete(key);
    this.votes.delete(key);
  }

  private view(key: string): Question | null {
    const q = this.asked.get(key);
    if (!q) return null;
    const voters = this.votes.get(key);
    return {
      key, asker: q.asker, id: q.id, text: q.text, at: q.at,
      votes: voters?.size ?? 0, mine: q.asker === this.meeting.myUid, upvoted: voters?.has(this.meeting.myUid) ?? false,
      state: this.marks.get(key)?.state ?? "open", gone: this.gone.has(q.asker),
    };
  }

  private publish(): void {
    this.questions.value = [...this.asked.keys()].map((key) => this.view(key)!);
  }

  private broadcast(message: QaMessage): void {
    const text = JSON.stringify(message);
    for (const link of this.meeting.links.values()) link.send("qa", text);
  }
}
