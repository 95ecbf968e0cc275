/**
 * A meeting as docs/protocol.md describes it: join_meeting, the two Firestore listeners
 * (participants, signals addressed to me), one PeerLink per other participant, heartbeats,
 * report_connection and leave_meeting. Chat, files and whiteboard travel on the peers' data
 * channels only; nothing of them is sent to the server.
 */
import {
  addDoc,
  collection,
  connectFirestoreEmulator,
  deleteDoc,
  doc,
  getFirestore,
  onSnapshot,
  query,
  serverTimestamp,
  where,
  type DocumentData,
  type Firestore,
  type Unsubscribe,
} from "firebase/firestore";
import { app, call, errorCode, errorReason } from "../firebase";
import { emulators, loopbackOnly, useEmulators } from "../config";
import { Emitter } from "./emitter";
import { LocalMedia } from "./media";
import {
  PeerLink,
  type CandidateEntry,
  type ChannelLabel,
  type LinkHost,
  type OutgoingSignal,
  type ReportStatus,
} from "./peer";
import type { ConnectionStats } from "./stats";
import { FileShare } from "./files";
import { Board } from "./board";

let firestore: Firestore | null = null;

function db(): Firestore {
  if (!firestore) {
    firestore = getFirestore(app);
    if (useEmulators) connectFirestoreEmulator(firestore, emulators.firestore.host, emulators.firestore.port);
  }
  return firestore;
}

export interface JoinResult {
  meetingId: string;
  title: string | null;
  session: string;
  participants: { uid: string; displayName: string; session: string }[];
  iceServers: RTCIceServer[];
  heartbeatSeconds: number;
}

export interface Participant {
  uid: string;
  displayName: string;
  session: string;
  state: "joined" | "left";
}

export interface ChatMessage {
  id: string;
  fromUid: string;
  fromName: string;
  text: string;
  at: number;
  /** Private messages went only to (or came only from) one participant's channel. */
  private: boolean;
  toUid?: string;
  mine: boolean;
}

/**
 * How leave() ended: the server has us as left ("left"), answered that we were not (or no longer)
 * in the meeting ("not-in-meeting"), or could not be told ("unconfirmed": the heartbeat sweep
 * closes the silent participant out, docs/protocol.md `heartbeat`).
 */
export type LeaveOutcome = "left" | "not-in-meeting" | "unconfirmed";

export type MeetingEvents = {
  participants: void;
  link: PeerLink;
  chat: ChatMessage;
  status: string;
  ended: { reason: string; message: string };
  notice: string;
};

interface SignalDoc {
  id: string;
  from: string;
  session: string;
  to: string;
  toSession: string;
  type: string;
  sdp?: string;
  candidates?: CandidateEntry[];
  createdAt: number;
}

const MAX_CHAT_LENGTH = 4000;
const RETRIED_REPORT_ERRORS = new Set(["not-found", "unavailable", "aborted", "internal", "deadline-exceeded"]);
const ACTIVE_KEY = "avmeets:active-meeting";
/** leave_meeting: at most this many attempts, each bounded, all within the budget. */
const LEAVE_ATTEMPTS = 4;
const LEAVE_ATTEMPT_TIMEOUT_MS = 8_000;
const LEAVE_BUDGET_MS = 20_000;
/** Wait before the second attempt; doubled for each further one (with jitter). */
const LEAVE_BACKOFF_MS = 500;
/** Deleting an applied signal: attempts, and the answers worth another one. */
const DELETE_ATTEMPTS = 4;
const RETRIED_DELETE_ERRORS = new Set(["aborted", "unavailable", "deadline-exceeded"]);
/** Longest wait for the signals listener before a signal is sent regardless. */
const SIGNALS_LISTENING_WAIT_MS = 5_000;
/** Failures a repeat can fix: the server or the network (a failed fetch is "internal"). */
const RETRIED_LEAVE_ERRORS = new Set([
  "unavailable",
  "deadline-exceeded",
  "internal",
  "unknown",
  "aborted",
  "resource-exhausted",
]);
/** Answers that mean the server does not (or no longer) have us in the meeting. */
const NOT_IN_MEETING_ERRORS = new Set(["permission-denied", "not-found", "failed-precondition"]);

/** The meeting this tab is in, kept across a reload so that it re-joins at once. */
export function activeMeeting(): string | null {
  try {
    return sessionStorage.getItem(ACTIVE_KEY);
  } catch {
    return null;
  }
}

function setActiveMeeting(meetingId: string | null): void {
  try {
    if (meetingId) sessionStorage.setItem(ACTIVE_KEY, meetingId);
    else sessionStorage.removeItem(ACTIVE_KEY);
  } catch {
    /* storage may be disabled */
  }
}

/** The earliest expiry of the TURN credentials (coturn REST form: username "<unix s>:<uid>"). */
export function turnExpiry(servers: RTCIceServer[]): number | null {
  let earliest: number | null = null;
  for (const server of servers) {
    const urls = Array.isArray(server.urls) ? server.urls : [server.urls];
    if (!urls.some((url) => /^turns?:/i.test(url))) continue;
    const match = /^(\d{9,}):/.exec(server.username ?? "");
    if (!match) continue;
    const ms = Number(match[1]) * 1000;
    earliest = earliest === null ? ms : Math.min(earliest, ms);
  }
  return earliest;
}

/** `promise`, or a deadline-exceeded error after `ms` (covers what the callable's timeout does not). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: "deadline-exceeded" })),
      ms,
    );
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class Meeting extends Emitter<MeetingEvents> implements LinkHost {
  readonly links = new Map<string, PeerLink>();
  readonly participants = new Map<string, Participant>();
  readonly chat: ChatMessage[] = [];
  readonly files: FileShare;
  readonly board: Board;
  readonly loopbackOnly = loopbackOnly();
  title: string | null = null;
  session: string | null = null;
  joined = false;
  private iceServers: RTCIceServer[] = [];
  /** When the TURN credential of join_meeting expires (epoch ms), if there is one. */
  private turnExpiresAt: number | null = null;
  private heartbeatSeconds = 20;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private unsubscribers: Unsubscribe[] = [];
  /** Resolves once the signals listener has its first snapshot from the server. */
  private signalsListening: Promise<void> = Promise.resolve();
  private signalChain: Promise<void> = Promise.resolve();
  private seenSignals = new Set<string>();
  private orphanCandidates = new Map<string, CandidateEntry[]>();
  private leaving = false;
  /** The server ended this session (end()): there is nothing to tell it on leaving. */
  private ended = false;
  private disconnecting: Promise<void> | null = null;
  private leaveOutcome: Promise<LeaveOutcome> | null = null;
  /** A join_meeting under way: leaving waits for it, so that it cannot land after the leave. */
  private joinCall: Promise<JoinResult> | null = null;
  private rejoining = false;
  private password: string | undefined;

  constructor(
    readonly meetingId: string,
    readonly myUid: string,
    readonly myName: string,
    readonly local: LocalMedia,
  ) {
    super();
    this.files = new FileShare(this);
    this.board = new Board(this);
    local.on("change", () => this.onLocalMediaChange());
    window.addEventListener("online", this.onNetworkChange);
    (navigator as Navigator & { connection?: EventTarget }).connection?.addEventListener?.(
      "change",
      this.onNetworkChange,
    );
    window.addEventListener("pagehide", this.onPageHide);
  }

  // --------------------------------------------------------------------------- join

  /** join_meeting; throws the callable's error (the page asks for a password on demand). */
  async join(password?: string): Promise<JoinResult> {
    this.password = password;
    const data: Record<string, unknown> = { meetingId: this.meetingId };
    if (password) data.password = password;
    const pending = call<JoinResult>("join_meeting", data);
    this.joinCall = pending;
    let result: JoinResult;
    try {
      result = await pending;
    } finally {
      if (this.joinCall === pending) this.joinCall = null;
    }
    if (this.leaving) {
      // Left while the join was under way: leave() tells the server; nothing starts here.
      this.joined = !this.ended;
      return result;
    }
    this.title = result.title ?? null;
    this.session = result.session;
    this.iceServers = this.filterIceServers(result.iceServers ?? []);
    this.turnExpiresAt = turnExpiry(this.iceServers);
    this.heartbeatSeconds = Math.max(1, Number(result.heartbeatSeconds) || 20);
    this.joined = true;
    setActiveMeeting(this.meetingId);
    this.participants.clear();
    this.participants.set(this.myUid, {
      uid: this.myUid,
      displayName: this.myName,
      session: result.session,
      state: "joined",
    });
    for (const p of result.participants ?? []) {
      this.participants.set(p.uid, { ...p, state: "joined" });
    }
    this.startListeners();
    this.startHeartbeat();
    await this.files.start(result.session);
    for (const p of result.participants ?? []) this.offerTo(p.uid, p.session);
    this.emit("participants", undefined);
    return result;
  }

  private filterIceServers(servers: RTCIceServer[]): RTCIceServer[] {
    if (!this.loopbackOnly) return servers;
    const loopback = /^(stun|stuns|turn|turns):(\[::1\]|127\.\d+\.\d+\.\d+|localhost)(:|\?|$)/i;
    return servers
      .map((server) => {
        const urls = (Array.isArray(server.urls) ? server.urls : [server.urls]).filter((u) => loopback.test(u));
        return { ...server, urls };
      })
      .filter((server) => server.urls.length > 0);
  }

  private startListeners(): void {
    const meeting = doc(db(), "meetings", this.meetingId);
    this.unsubscribers.push(
      onSnapshot(
        collection(meeting, "participants"),
        { includeMetadataChanges: true },
        (snapshot) => {
          // Only what the server confirmed: right after a re-join the cache still holds our
          // previous session's document, which would look like being closed out again.
          if (snapshot.metadata.fromCache) return;
          this.onParticipants(snapshot.docs.map((d) => ({ id: d.id, data: d.data() })));
        },
        (error) => this.onListenerError("participants", error),
      ),
    );
    const mine = query(collection(meeting, "signals"), where("to", "==", this.myUid));
    let listening!: () => void;
    this.signalsListening = new Promise<void>((resolve) => (listening = resolve));
    this.unsubscribers.push(
      onSnapshot(
        mine,
        { includeMetadataChanges: true },
        (snapshot) => {
          if (!snapshot.metadata.fromCache) listening();
          const added = snapshot
            .docChanges()
            .filter((change) => change.type === "added")
            .map((change) => this.toSignal(change.doc.id, change.doc.data({ serverTimestamps: "estimate" })));
          added.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
          for (const signal of added) {
            this.signalChain = this.signalChain.then(() => this.onSignal(signal));
          }
        },
        (error) => this.onListenerError("signals", error),
      ),
    );
  }

  private onListenerError(what: string, error: Error): void {
    if (this.leaving) return;
    console.warn(`the ${what} listener stopped`, error);
    // Usually the rules refusing us because the server closed us out: join again.
    void this.rejoin(`${what} listener: ${(error as { code?: string }).code ?? error.message}`);
  }

  private toSignal(id: string, data: DocumentData): SignalDoc {
    const created = data.createdAt as { toMillis?: () => number } | undefined;
    return {
      id,
      from: String(data.from ?? ""),
      session: String(data.session ?? ""),
      to: String(data.to ?? ""),
      toSession: String(data.toSession ?? ""),
      type: String(data.type ?? ""),
      sdp: typeof data.sdp === "string" ? data.sdp : undefined,
      candidates: Array.isArray(data.candidates) ? (data.candidates as CandidateEntry[]) : undefined,
      createdAt: created?.toMillis ? created.toMillis() : Number.MAX_SAFE_INTEGER,
    };
  }

  // ------------------------------------------------------------------ participants

  /** The whole participants collection, as the server has it now. */
  private onParticipants(docs: { id: string; data: DocumentData }[]): void {
    let changed = false;
    const present = new Set<string>();
    for (const { id: uid, data } of docs) {
      const participant: Participant = {
        uid,
        displayName: String(data.displayName ?? "Guest"),
        session: String(data.session ?? ""),
        state: data.state === "joined" ? "joined" : "left",
      };
      if (uid === this.myUid) {
        this.onOwnParticipant(participant, false, data.endCause);
        continue;
      }
      const link = this.links.get(uid);
      const known = this.participants.get(uid);
      if (participant.state === "left") {
        if (known) changed = true;
        this.participants.delete(uid);
        if (link && participant.session === link.remoteSession) {
          void this.dropLink(uid, "participant left", false);
        }
        continue;
      }
      present.add(uid);
      if (!known || known.session !== participant.session || known.displayName !== participant.displayName) {
        changed = true;
      }
      this.participants.set(uid, participant);
      if (link && link.remoteSession !== participant.session) {
        // The participant re-joined (reload): the stale connection goes; its new session offers.
        void this.dropLink(uid, "participant has a new session", true);
      }
    }
    if (!docs.some((d) => d.id === this.myUid)) this.onOwnParticipant(null, true, undefined);
    for (const uid of [...this.participants.keys()]) {
      if (uid === this.myUid || present.has(uid)) continue;
      // A connection that a brand-new participant just offered may be ahead of this snapshot.
      const link = this.links.get(uid);
      if (link && performance.now() - link.startedAt < 10_000) continue;
      // Gone from the collection altogether.
      changed = true;
      this.participants.delete(uid);
      if (this.links.has(uid)) void this.dropLink(uid, "participant document removed", false);
    }
    if (changed) this.emit("participants", undefined);
  }

  private onOwnParticipant(me: Participant | null, removed: boolean, endCause: unknown): void {
    if (this.leaving || this.rejoining || !this.session) return;
    if (removed || !me || me.state === "left") {
      if (endCause === "meeting-ended") {
        void this.end("meeting-ended", "The meeting has ended.");
      } else {
        void this.rejoin(`server closed this session out (${String(endCause ?? "left")})`);
      }
    } else if (me.session !== this.session) {
      void this.end("joined-elsewhere", "You joined this meeting from another window or device.");
    }
  }

  displayName(uid: string): string {
    if (uid === this.myUid) return this.myName;
    return this.participants.get(uid)?.displayName ?? "Guest";
  }

  // ------------------------------------------------------------------------ links

  private newLink(uid: string, session: string, role: "caller" | "callee"): PeerLink {
    const link = new PeerLink(this, uid, session, role, this.iceServers);
    this.links.set(uid, link);
    const orphans = this.orphanCandidates.get(`${uid}/${session}`);
    if (orphans) {
      this.orphanCandidates.delete(`${uid}/${session}`);
      void link.addRemoteCandidates(orphans);
    }
    return link;
  }

  private offerTo(uid: string, session: string): void {
    const existing = this.links.get(uid);
    if (existing && existing.remoteSession === session) return;
    if (existing) void this.dropLink(uid, "offering to a new session", true);
    const link = this.newLink(uid, session, "caller");
    link.startAsCaller();
    this.emit("link", link);
  }

  private async dropLink(uid: string, reason: string, report: boolean): Promise<void> {
    const link = this.links.get(uid);
    if (!link) return;
    this.links.delete(uid);
    this.files.linkClosed(link);
    await link.close(reason, report);
    this.emit("link", link);
    this.emit("participants", undefined);
  }

  // ---------------------------------------------------------------------- signals

  private async onSignal(signal: SignalDoc): Promise<void> {
    if (this.seenSignals.has(signal.id)) return;
    this.seenSignals.add(signal.id);
    try {
      if (signal.toSession === this.session && !this.leaving) await this.applySignal(signal);
    } catch (error) {
      console.debug(`applying ${signal.type} ${signal.id} failed`, error);
    }
    // Not awaited: a repeated delete must not hold up the signals queued behind this one.
    void this.deleteSignal(signal.id);
  }

  /** Delete an applied signal; a delete is idempotent, so transient refusals are repeated. */
  private async deleteSignal(id: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await deleteDoc(doc(db(), "meetings", this.meetingId, "signals", id));
        return;
      } catch (error) {
        const code = errorCode(error);
        if (!RETRIED_DELETE_ERRORS.has(code) || attempt >= DELETE_ATTEMPTS || this.leaving) {
          // Left for the server: the purge removes a meeting's signals once it has ended.
          console.debug(`deleting signal ${id} failed (${code})`, error);
          return;
        }
        await sleep(200 * attempt);
      }
    }
  }

  private async applySignal(signal: SignalDoc): Promise<void> {
    let link = this.links.get(signal.from);
    if (signal.type === "offer") {
      if (link && link.remoteSession !== signal.session) {
        await this.dropLink(signal.from, "offer from a new session", true);
        link = undefined;
      }
      if (!link) {
        link = this.newLink(signal.from, signal.session, "callee");
        if (!this.participants.has(signal.from)) {
          this.participants.set(signal.from, {
            uid: signal.from,
            displayName: "Guest",
            session: signal.session,
            state: "joined",
          });
        }
        this.emit("link", link);
        this.emit("participants", undefined);
      }
      await link.handleDescription({ type: "offer", sdp: signal.sdp ?? "" });
    } else if (signal.type === "answer") {
      if (link && link.remoteSession === signal.session) {
        await link.handleDescription({ type: "answer", sdp: signal.sdp ?? "" });
      }
    } else if (signal.type === "candidates") {
      const entries = signal.candidates ?? [];
      if (link && link.remoteSession === signal.session) {
        await link.addRemoteCandidates(entries);
      } else {
        const key = `${signal.from}/${signal.session}`;
        this.orphanCandidates.set(key, [...(this.orphanCandidates.get(key) ?? []), ...entries]);
      }
    }
  }

  async sendSignal(link: PeerLink, signal: OutgoingSignal): Promise<void> {
    if (!this.session || this.leaving) return;
    // Ask for a reply only once our signals listener is live on the server: the Firestore
    // emulator can lose changes that land while a listen is being set up (docs/protocol.md,
    // section 4, step 2). The offer is gathered meanwhile, so this rarely waits at all.
    await Promise.race([this.signalsListening, sleep(SIGNALS_LISTENING_WAIT_MS)]);
    if (!this.session || this.leaving) return;
    await addDoc(collection(db(), "meetings", this.meetingId, "signals"), {
      from: this.myUid,
      session: this.session,
      to: link.uid,
      toSession: link.remoteSession,
      ...signal,
      createdAt: serverTimestamp(),
    });
  }

  // ---------------------------------------------------------------------- reports

  /** Reports of one connection go one after the other, so that the server sees their order. */
  private reportChains = new WeakMap<PeerLink, Promise<void>>();

  report(link: PeerLink, status: ReportStatus, stats?: ConnectionStats): void {
    if (!this.session) return;
    const data: Record<string, unknown> = {
      meetingId: this.meetingId,
      peer: link.uid,
      peerSession: link.remoteSession,
      role: link.role,
      status,
    };
    if (stats) data.stats = stats;
    const send = async (): Promise<void> => {
      for (let attempt = 0; ; attempt++) {
        try {
          await call("report_connection", data);
          return;
        } catch (error) {
          const code = errorCode(error);
          // The signal trigger may not have recorded the leg yet, or the server or the network
          // failed; the server ignores a status it already has, so a repeat is harmless.
          const retry = RETRIED_REPORT_ERRORS.has(code) && attempt < 3;
          if (!retry) {
            console.debug("report_connection failed", code, error);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
        }
      }
    };
    const chain = (this.reportChains.get(link) ?? Promise.resolve()).then(send);
    this.reportChains.set(link, chain);
  }

  /**
   * An ICE restart with an expired TURN credential could not use the relay: join again instead,
   * which hands out a fresh one (docs/protocol.md, create_meeting / join_meeting).
   */
  iceRestartAllowed(_link: PeerLink): boolean {
    if (this.turnExpiresAt === null || Date.now() < this.turnExpiresAt - 30_000) return true;
    void this.rejoin("the TURN credential has expired");
    return false;
  }

  linkChanged(link: PeerLink): void {
    this.emit("link", link);
  }

  // ----------------------------------------------------------------- data channels

  channelOpen(link: PeerLink, label: ChannelLabel, channel: RTCDataChannel): void {
    if (label === "chat") this.sendMediaState(link);
    if (label === "files") this.files.channelOpen(link, channel);
    if (label === "board") this.board.channelOpen(link);
    this.emit("link", link);
  }

  channelClosed(link: PeerLink, label: ChannelLabel): void {
    if (label === "files") this.files.linkClosed(link);
    this.emit("link", link);
  }

  channelMessage(link: PeerLink, label: ChannelLabel, data: string | ArrayBuffer): void {
    if (label === "files") return this.files.onMessage(link, data);
    if (typeof data !== "string") return;
    if (label === "board") return this.board.onMessage(link, data);
    this.onChatChannel(link, data);
  }

  private onChatChannel(link: PeerLink, text: string): void {
    let message: Record<string, unknown> | null = null;
    if (text.startsWith("{")) {
      try {
        message = JSON.parse(text) as Record<string, unknown>;
      } catch {
        message = null;
      }
    }
    if (!message || typeof message.t !== "string") {
      // A plain-text message (e.g. from a minimal client): chat to everyone.
      this.receiveChat(link, { t: "chat", id: randomId(), text, scope: "all" });
      return;
    }
    if (message.t === "chat") this.receiveChat(link, message);
    else if (message.t === "media") {
      link.remoteMedia = {
        audio: message.audio !== false,
        video: message.video !== false,
        screen: message.screen === true,
        recording: message.recording === true,
      };
      this.emit("link", link);
    } else if (message.t === "bye") {
      void this.dropLink(link.uid, "participant said goodbye", false);
    }
  }

  private receiveChat(link: PeerLink, message: Record<string, unknown>): void {
    const text = String(message.text ?? "").slice(0, MAX_CHAT_LENGTH);
    if (!text.trim()) return;
    const entry: ChatMessage = {
      id: String(message.id ?? randomId()),
      fromUid: link.uid,
      fromName: this.displayName(link.uid),
      text,
      at: Date.now(),
      private: message.scope === "private",
      toUid: message.scope === "private" ? this.myUid : undefined,
      mine: false,
    };
    if (this.chat.some((m) => m.id === entry.id && m.fromUid === entry.fromUid)) return;
    this.chat.push(entry);
    this.emit("chat", entry);
  }

  /** Chat to everyone (toUid null) or privately: then only on that participant's channel. */
  sendChat(text: string, toUid: string | null): ChatMessage | null {
    const body = text.trim().slice(0, MAX_CHAT_LENGTH);
    if (!body) return null;
    const id = randomId();
    const payload = JSON.stringify({ t: "chat", id, text: body, scope: toUid ? "private" : "all" });
    if (toUid) {
      const link = this.links.get(toUid);
      if (!link || !link.send("chat", payload)) {
        this.emit("notice", `${this.displayName(toUid)} is not connected; the message was not sent.`);
        return null;
      }
    } else {
      for (const link of this.links.values()) link.send("chat", payload);
    }
    const entry: ChatMessage = {
      id,
      fromUid: this.myUid,
      fromName: this.myName,
      text: body,
      at: Date.now(),
      private: !!toUid,
      toUid: toUid ?? undefined,
      mine: true,
    };
    this.chat.push(entry);
    this.emit("chat", entry);
    return entry;
  }

  /** Recording in progress is announced to everyone (a courtesy the others can see). */
  recording = false;

  setRecording(on: boolean): void {
    this.recording = on;
    for (const link of this.links.values()) this.sendMediaState(link);
  }

  private sendMediaState(link: PeerLink): void {
    link.send(
      "chat",
      JSON.stringify({
        t: "media",
        audio: this.local.micOn,
        video: !!this.local.outgoingVideo,
        screen: this.local.sharing,
        recording: this.recording,
      }),
    );
  }

  private onLocalMediaChange(): void {
    for (const link of this.links.values()) {
      void link.syncTracks();
      this.sendMediaState(link);
    }
  }

  // ------------------------------------------------------------------ resilience

  private startHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => void this.beat(), this.heartbeatSeconds * 1000);
  }

  private async beat(): Promise<void> {
    if (!this.joined || this.leaving) return;
    try {
      await call("heartbeat", { meetingId: this.meetingId });
    } catch (error) {
      if (errorCode(error) === "failed-precondition" && errorReason(error) === "not-joined") {
        await this.rejoin("heartbeat: not joined");
      } else if (errorCode(error) === "not-found") {
        await this.end("meeting-gone", "This meeting no longer exists.");
      } else {
        console.debug("heartbeat failed", error);
      }
    }
  }

  /** Join again with a new session (closed out by the server, or listeners refused). */
  async rejoin(why: string): Promise<void> {
    if (this.leaving || this.rejoining || !this.joined) return;
    this.rejoining = true;
    this.emit("status", "Reconnecting to the meeting…");
    console.info(`re-joining: ${why}`);
    try {
      this.stopListeners();
      for (const uid of [...this.links.keys()]) await this.dropLink(uid, "re-joining", true);
      this.seenSignals.clear();
      this.orphanCandidates.clear();
      await this.join(this.password);
      this.emit("status", "");
    } catch (error) {
      const code = errorCode(error);
      const reason = errorReason(error);
      if (code === "failed-precondition" && reason === "meeting-ended") {
        await this.end("meeting-ended", "The meeting has ended.");
      } else if (code === "not-found") {
        await this.end("meeting-gone", "This meeting no longer exists.");
      } else if (code === "resource-exhausted" && reason === "meeting-full") {
        await this.end("meeting-full", "The meeting is full now.");
      } else {
        this.emit("status", "Connection to the server lost; retrying…");
        setTimeout(() => {
          this.rejoining = false;
          void this.rejoin("retry");
        }, 5000);
        return;
      }
    } finally {
      this.rejoining = false;
    }
  }

  private onNetworkChange = (): void => {
    for (const link of this.links.values()) {
      if (link.connectionState !== "new") link.restartIce();
    }
  };

  /** Tab closing or reloading: tell the peers at once; the next load re-joins. */
  private onPageHide = (): void => {
    for (const link of this.links.values()) link.send("chat", JSON.stringify({ t: "bye" }));
  };

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  private stopListeners(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers = [];
    this.stopHeartbeat();
  }

  /**
   * Stop taking part at once: no more heartbeats, "bye" to the peers (when leaving), report
   * closed and close every connection, stop the listeners. Idempotent (the first call's reason
   * counts); the server is not told here (leave() does that).
   */
  disconnect(reason = "leaving", sayBye = true): Promise<void> {
    this.disconnecting ??= (async () => {
      this.leaving = true;
      this.stopHeartbeat();
      setActiveMeeting(null);
      if (sayBye) for (const link of this.links.values()) link.send("chat", JSON.stringify({ t: "bye" }));
      await Promise.all([...this.links.keys()].map((uid) => this.dropLink(uid, reason, true)));
      this.stopListeners();
      this.cleanup();
    })();
    return this.disconnecting;
  }

  /**
   * Leave (protocol 4.9): disconnect() at once, then leave_meeting, each attempt bounded and
   * repeated with backoff while it fails for a reason a repeat can fix. Resolves with what the
   * server said; calling it again returns the same promise.
   */
  leave(): Promise<LeaveOutcome> {
    this.leaveOutcome ??= this.leaveNow();
    return this.leaveOutcome;
  }

  private async leaveNow(): Promise<LeaveOutcome> {
    const ended = this.ended;
    await this.disconnect("leaving", true);
    if (ended || this.ended) return "not-in-meeting";
    const joining = this.joinCall;
    if (joining) await joining.catch(() => undefined);
    if (!this.joined && !joining) return "not-in-meeting";
    const outcome = await this.sendLeave();
    this.joined = false;
    return outcome;
  }

  private async sendLeave(): Promise<LeaveOutcome> {
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      const left = LEAVE_BUDGET_MS - (performance.now() - started);
      const timeout = Math.max(1000, Math.min(LEAVE_ATTEMPT_TIMEOUT_MS, left));
      try {
        await within(call("leave_meeting", { meetingId: this.meetingId }, timeout), timeout + 1000);
        return "left";
      } catch (error) {
        const code = errorCode(error);
        if (NOT_IN_MEETING_ERRORS.has(code)) {
          console.debug(`leave_meeting: ${code}, so not in the meeting any more`);
          return "not-in-meeting";
        }
        const delay = LEAVE_BACKOFF_MS * 2 ** (attempt - 1) * (0.75 + Math.random() / 2);
        const elapsed = performance.now() - started;
        if (!RETRIED_LEAVE_ERRORS.has(code) || attempt >= LEAVE_ATTEMPTS || elapsed + delay + 1000 > LEAVE_BUDGET_MS) {
          console.warn(
            `leave_meeting failed (${code}, attempt ${attempt}); the server's sweep will close this session out`,
            error,
          );
          return "unconfirmed";
        }
        console.debug(`leave_meeting failed (${code}, attempt ${attempt}); trying again`, error);
        await sleep(delay);
      }
    }
  }

  private async end(reason: string, message: string): Promise<void> {
    if (this.leaving) return;
    this.ended = true;
    await this.disconnect(reason, false);
    this.joined = false;
    this.emit("ended", { reason, message });
  }

  private cleanup(): void {
    window.removeEventListener("online", this.onNetworkChange);
    (navigator as Navigator & { connection?: EventTarget }).connection?.removeEventListener?.(
      "change",
      this.onNetworkChange,
    );
    window.removeEventListener("pagehide", this.onPageHide);
    void this.files.stop();
  }
}
