/**
 * A meeting session as docs/protocol.md describes it: join_meeting, the Firestore signalling
 * (signalling.ts), the roster (roster.ts), one PeerLink per other participant, heartbeats,
 * report_connection and leave_meeting, all driven by one lifecycle (lifecycle.ts). Chat, files,
 * the whiteboard and gestures travel on the peers' data channels only: their protocols plug in with
 * `use()`. Media: the active speaker (speakers.ts) and the uplink's adaptation (adaptation.ts).
 */
import { signal } from "@preact/signals-core";
import { loopbackOnly } from "../../config";
import type { ConnectionPath, ConnectionStats, ConnectionStatus, JoinMeetingRequest, JoinMeetingResult } from "../../protocol.gen";
import { call } from "../api/client";
import { describeFailure } from "../api/errors";
import { Emitter } from "../state/emitter";
import { setActiveMeeting } from "../state/stash";
import { Adaptation } from "./adaptation";
import { deviceCertificate } from "./certificate";
import { EarlyCandidates } from "./candidates";
import { BYE, parseChatChannel, type Ask, type ChatChannelMessage } from "./chatChannel";
import { Heartbeat } from "./heartbeat";
import { credentialFresh, turnExpiry, usableIceServers } from "./ice";
import { ServerClock } from "./serverClock";
import { ENDINGS, Lifecycle, leavePlan, rejoinFailure, serverEndedLegs, type Ending } from "./lifecycle";
import { sendLeave, type LeaveOutcome } from "./leave";
import type { LocalMedia } from "./media";
import { MediaState } from "./mediaState";
import type { ChannelLabel, ChannelProtocol, LinkHost } from "./link";
import { watchPage } from "./pageEvents";
import { PeerLink } from "./peer";
import { OPEN, privacyFor, transportPolicy, type Privacy } from "./privacy";
import { ConnectionReports } from "./reports";
import { diffRoster, ownVerdict, rosterAfterJoin, type OwnStatus, type Participant, type RawParticipant } from "./roster";
import { Signalling, type IncomingSignal, type OutgoingSignal } from "./signalling";
import { SpeakerMonitor } from "./speakers";

/** A chat message as it arrived on a link's chat channel. */
export type IncomingChat = { link: PeerLink; message: Extract<ChatChannelMessage, { t: "chat" | "unsend" | "edit" | "reaction" }> };

export type MeetingEvents = {
  chat: IncomingChat;
  pin: { link: PeerLink; message: Extract<ChatChannelMessage, { t: "pin" | "unpin" }> };
  /** A link's chat channel opened (what a newcomer should know goes on it). */
  chatOpen: PeerLink;
  /** A request on a link's chat channel (features/hosts shows it only from a host). */
  ask: { link: PeerLink; what: Ask };
  ended: Ending;
};

const REJOIN_RETRY_MS = 5_000;
/** Longest wait for the last connection reports before leave_meeting is sent. */
const REPORTS_FLUSH_MS = 3_000;

export interface MeetingOptions {
  /** The person chose to hide their IP address from the others. */
  relayOnly?: boolean;
}

export class Meeting extends Emitter<MeetingEvents> implements LinkHost {
  readonly links = new Map<string, PeerLink>();
  /** Everyone in the meeting, us included (state "joined"). */
  readonly roster = signal<ReadonlyMap<string, Participant>>(new Map());
  /** The connections, a new map whenever one comes or goes. */
  readonly peers = signal<ReadonlyMap<string, PeerLink>>(new Map());
  /** A line for the status area ("Reconnecting…"); empty when all is well. */
  readonly status = signal("");
  readonly lifecycle = new Lifecycle();
  readonly loopbackOnly = loopbackOnly();
  certificate: RTCCertificate | null = null; // the device's, loaded beside the join: every connection uses it
  readonly privacy = signal<Privacy>(OPEN);
  readonly speakers: SpeakerMonitor;
  readonly adaptation: Adaptation;
  readonly mediaState: MediaState;
  title: string | null = null;
  session: string | null = null;
  /** The breakout room we joined (null: the main room): we connect only within it. */
  room: number | null = null;
  private iceServers: RTCIceServer[] = [];
  /** When the TURN credential of join_meeting expires (epoch ms), if there is one. */
  private turnExpiresAt: number | null = null;
  readonly clock = new ServerClock(); // the server's (join_meeting's serverTime): the timers go by it
  private readonly heartbeat: Heartbeat;
  private readonly signalling: Signalling;
  private readonly protocols = new Map<ChannelLabel, ChannelProtocol>();
  private readonly earlyCandidates = new EarlyCandidates();
  private readonly reports: ConnectionReports;
  /** A join_meeting under way: leaving waits for it, so that it cannot land after the leave. */
  private pendingJoin: Promise<JoinMeetingResult> | null = null;
  private leaving: Promise<LeaveOutcome> | null = null;
  private disconnecting: Promise<void> | null = null;
  private password: string | undefined;
  /** The name the person typed in the lobby, asked for on join (none: the server keeps the last). */
  chosenName: string | null = null;
  private readonly offs: (() => void)[];

  constructor(
    readonly meetingId: string,
    readonly myUid: string,
    /** The name the others see us by (what we asked for; then what join_meeting said). */
    public myName: string,
    readonly local: LocalMedia,
    private readonly options: MeetingOptions = {},
  ) {
    super();
    this.signalling = new Signalling(meetingId, myUid, () => this.lifecycle.over, {
      participants: (docs) => this.onParticipants(docs),
      signal: (s) => this.onSignal(s),
      error: (what, error) => this.onListenerError(what, error),
    });
    this.reports = new ConnectionReports(meetingId);
    this.heartbeat = new Heartbeat(meetingId, myUid, () => this.lifecycle.live, (own) => this.onOwn(own, "beat refused"));
    this.speakers = new SpeakerMonitor(this);
    this.adaptation = new Adaptation({ local, links: this.links, myUid, speakers: this.speakers.state });
    this.mediaState = new MediaState(local, this.links, this.adaptation);
    this.offs = [local.on("change", () => this.mediaState.localChanged()), watchPage(this.onNetworkChange, this.onPageHide)];
  }

  use(protocol: ChannelProtocol): void {
    this.protocols.set(protocol.label, protocol);
  }

  /** Anyone's name as the roster has it (ours too: a rename comes back through it). */
  displayName(uid: string): string {
    return this.roster.peek().get(uid)?.displayName ?? (uid === this.myUid ? this.myName : "Guest");
  }

  // --------------------------------------------------------------------------- join

  /** join_meeting; throws the callable's error (the page asks for a password on demand). */
  async join(password?: string): Promise<JoinMeetingResult> {
    if (!this.lifecycle.send("join")) throw new Error(`cannot join while ${this.lifecycle.value}`);
    this.password = password;
    return this.joinOnce();
  }

  private async joinOnce(): Promise<JoinMeetingResult> {
    const data: JoinMeetingRequest = { meetingId: this.meetingId };
    if (this.password) data.password = this.password;
    if (this.chosenName) data.displayName = this.chosenName;
    this.signalling.listenSignals(); // live when the join returns: offers go out at once (protocol.md 4.1)
    const joined = call("join_meeting", data).then((r) => (this.clock.set(r.serverTime), r));
    const pending = Promise.all([joined, deviceCertificate()]).then(([r, c]) => ((this.certificate = c), r));
    this.pendingJoin = pending;
    let result: JoinMeetingResult;
    try {
      result = await pending;
    } catch (error) {
      this.signalling.stop();
      this.lifecycle.send("join-failed");
      throw error;
    } finally {
      if (this.pendingJoin === pending) this.pendingJoin = null;
    }
    // Left while the join was under way: leave() tells the server; nothing starts here.
    if (this.lifecycle.over) this.lifecycle.send("joined");
    else await this.begin(result);
    return result;
  }

  private async begin(result: JoinMeetingResult): Promise<void> {
    this.title = result.title ?? null;
    this.session = result.session;
    this.room = result.room ?? null;
    this.iceServers = usableIceServers(result.iceServers ?? [], this.loopbackOnly);
    this.turnExpiresAt = turnExpiry(this.iceServers);
    this.privacy.value = privacyFor(!!this.options.relayOnly, result.relayOnly === true, this.iceServers);
    setActiveMeeting(this.meetingId);
    this.myName = result.displayName || this.myName; // the server's word (normalised)
    this.chosenName = null; // the server keeps it: a re-join must not undo a rename since
    const me = { uid: this.myUid, displayName: this.myName, session: result.session, role: result.role ?? "participant", ...(result.room ? { room: result.room } : {}) };
    this.roster.value = rosterAfterJoin(me, result.participants ?? []);
    this.lifecycle.send("joined");
    this.signalling.listenParticipants();
    this.heartbeat.start(Math.max(1, Number(result.heartbeatSeconds) || 20));
    this.speakers.start();
    this.adaptation.start();
    for (const protocol of this.protocols.values()) await protocol.start?.(result.session);
    for (const p of result.participants ?? []) this.offerTo(p.uid, p.session);
  }

  private onListenerError(what: string, error: Error): void {
    if (this.lifecycle.over) return;
    console.warn(`the ${what} listener stopped`, error);
    // Usually the rules refusing us because the server closed us out: join again.
    void this.rejoin(`${what} listener: ${(error as { code?: string }).code ?? error.message}`);
  }

  // ------------------------------------------------------------------------ roster

  private onParticipants(docs: RawParticipant[]): void {
    const links = new Map([...this.links].map(([uid, l]) => [uid, { remoteSession: l.remoteSession, ageMs: performance.now() - l.startedAt }]));
    const diff = diffRoster(this.myUid, this.roster.peek(), links, docs, this.room);
    if (diff.changed) this.roster.value = diff.roster;
    for (const drop of diff.drops) void this.dropLink(drop.uid, drop.reason, drop.report);
    this.onOwn(diff.own, "roster");
  }

  /** What our own participant document says of this session (the roster, or a refused beat). */
  private onOwn(own: OwnStatus, from: string): void {
    if (!this.lifecycle.live || !this.session) return;
    const verdict = ownVerdict(own, this.session, this.room);
    if (verdict === "meeting-ended" || verdict === "removed" || verdict === "joined-elsewhere") void this.end(ENDINGS[verdict]);
    else if (verdict === "moved") void this.rejoin(`${from}: a host moved us to another room`);
    else if (verdict === "rejoin") void this.rejoin(`${from}: server closed this session out (${own.kind === "left" ? (own.endCause ?? "left") : "left"})`);
  }

  // ------------------------------------------------------------------------- links

  private newLink(uid: string, session: string, role: "caller" | "callee"): PeerLink {
    const iceTransportPolicy = transportPolicy(this.privacy.peek());
    const link = new PeerLink(this, uid, session, role, { iceServers: this.iceServers, iceTransportPolicy });
    this.links.set(uid, link);
    this.peers.value = new Map(this.links);
    this.adaptation.schedule();
    const early = this.earlyCandidates.take(uid, session);
    if (early) void link.addRemoteCandidates(early);
    return link;
  }

  private offerTo(uid: string, session: string): void {
    const existing = this.links.get(uid);
    if (existing && existing.remoteSession === session) return;
    if (existing) void this.dropLink(uid, "offering to a new session", true);
    this.newLink(uid, session, "caller").startAsCaller();
  }

  private async dropLink(uid: string, reason: string, report: boolean): Promise<void> {
    const link = this.links.get(uid);
    if (!link) return;
    this.links.delete(uid);
    this.peers.value = new Map(this.links);
    this.adaptation.forget(uid);
    for (const protocol of this.protocols.values()) protocol.closed?.(link);
    await link.close(reason, report);
  }

  // ----------------------------------------------------------------------- signals

  private async onSignal(signal: IncomingSignal): Promise<void> {
    // Joining (nothing can address the new session yet), over, or an old session's: ignored, then deleted.
    if (!this.lifecycle.live || signal.toSession !== this.session) return;
    let link = this.links.get(signal.from);
    const current = link && link.remoteSession === signal.session ? link : undefined;
    if (signal.type === "offer") {
      if (link && !current) await this.dropLink(signal.from, "offer from a new session", true);
      link = current ?? this.calledBy(signal.from, signal.session);
      await link.handleDescription({ type: "offer", sdp: signal.sdp ?? "" });
    } else if (signal.type === "answer") {
      await current?.handleDescription({ type: "answer", sdp: signal.sdp ?? "" });
    } else if (signal.type === "candidates") {
      const entries = signal.candidates ?? [];
      if (current) await current.addRemoteCandidates(entries);
      else this.earlyCandidates.keep(signal.from, signal.session, entries);
    }
  }

  /** An offer from someone we hold no connection to: we are its callee. */
  private calledBy(uid: string, session: string): PeerLink {
    const link = this.newLink(uid, session, "callee");
    const guest = { uid, displayName: "Guest", session, state: "joined", role: "participant" } as const;
    if (!this.roster.peek().has(uid)) this.roster.value = new Map(this.roster.peek()).set(uid, guest);
    return link;
  }

  async sendSignal(link: PeerLink, signal: OutgoingSignal): Promise<void> {
    if (!this.session || this.lifecycle.over) return;
    await this.signalling.send(() => this.session, link.uid, link.remoteSession, signal);
  }

  // ----------------------------------------------------------------------- reports

  report(link: PeerLink, status: ConnectionStatus, stats?: ConnectionStats, path?: ConnectionPath): void {
    if (status === "connected") this.adaptation.schedule();
    if (this.session) this.reports.report(link, status, stats, path);
  }

  // An ICE restart with an expired TURN credential could not use the relay: join again instead,
  // which hands out a fresh one (docs/protocol.md, create_meeting / join_meeting).
  iceRestartAllowed(): boolean {
    if (credentialFresh(this.turnExpiresAt, this.clock.now())) return true;
    void this.rejoin("the TURN credential has expired");
    return false;
  }

  // ----------------------------------------------------------------- data channels

  channelOpen(link: PeerLink, label: ChannelLabel, channel: RTCDataChannel): void {
    if (label !== "chat") return this.protocols.get(label)?.open?.(link, channel);
    this.mediaState.opened(link);
    this.emit("chatOpen", link);
  }

  channelClosed(link: PeerLink, label: ChannelLabel): void {
    if (label !== "chat") this.protocols.get(label)?.closed?.(link);
  }

  channelMessage(link: PeerLink, label: ChannelLabel, data: string | ArrayBuffer): void {
    if (label !== "chat") return this.protocols.get(label)?.message(link, data);
    if (typeof data !== "string") return;
    const message = parseChatChannel(data);
    if (message.t === "chat" || message.t === "unsend" || message.t === "edit" || message.t === "reaction") this.emit("chat", { link, message });
    else if (message.t === "pin" || message.t === "unpin") this.emit("pin", { link, message });
    else if (message.t === "media") link.setRemoteMedia(message);
    else if (message.t === "want") this.adaptation.received(link, message);
    else if (message.t === "bye") void this.dropLink(link.uid, "participant said goodbye", false);
    else if (message.t === "ask") this.emit("ask", { link, what: message.what });
  }

  // -------------------------------------------------------------------- resilience

  /** Join again with a new session (closed out by the server, or listeners refused). */
  async rejoin(why: string): Promise<void> {
    if (this.lifecycle.send("rejoin")) await this.rejoinNow(why);
  }

  private async rejoinNow(why: string): Promise<void> {
    this.status.value = "Reconnecting to the meeting…";
    console.info(`re-joining: ${why}`);
    this.stopListening();
    for (const uid of [...this.links.keys()]) await this.dropLink(uid, "re-joining", true);
    this.earlyCandidates.clear();
    try {
      await this.joinOnce();
      if (this.lifecycle.live) this.status.value = "";
    } catch (error) {
      const failure = describeFailure(error);
      const ending = rejoinFailure(failure.code, failure.reason);
      if (ending) return this.end(ending);
      this.status.value = "Connection to the server lost; retrying…";
      setTimeout(() => {
        if (this.lifecycle.value === "rejoining") void this.rejoinNow("retry");
      }, REJOIN_RETRY_MS);
    }
  }

  private onNetworkChange = (): void => {
    for (const link of this.links.values()) {
      if (link.connectionState !== "new") link.restarts.now();
    }
  };

  /** Tab closing or reloading: tell the peers at once; the next load re-joins. */
  private onPageHide = (): void => {
    for (const link of this.links.values()) link.send("chat", BYE);
  };

  private stopListening(): void {
    this.signalling.stop();
    this.heartbeat.stop();
  }

  // ------------------------------------------------------------------------- end

  /**
   * Stop taking part at once: no more heartbeats, "bye" to the peers (when leaving), report
   * closed and close every connection, stop the listeners. Idempotent (the first call's reason
   * counts); the server is not told here (leave() does that).
   */
  disconnect(reason = "leaving", sayBye = true, report = true): Promise<void> {
    this.disconnecting ??= (async () => {
      this.heartbeat.stop();
      setActiveMeeting(null);
      if (sayBye) for (const link of this.links.values()) link.send("chat", BYE);
      await Promise.all([...this.links.keys()].map((uid) => this.dropLink(uid, reason, report)));
      this.stopListening();
      this.cleanup();
    })();
    return this.disconnecting;
  }

  /** Leave (protocol 4.9): disconnect() at once, then leave_meeting by its retry policy (each
   * attempt bounded, all within 20 s). Resolves with what the server said; the same promise again. */
  leave(): Promise<LeaveOutcome> {
    this.leaving ??= this.leaveNow();
    return this.leaving;
  }

  private async leaveNow(): Promise<LeaveOutcome> {
    const plan = leavePlan(this.lifecycle.value);
    this.lifecycle.send("leave");
    await this.disconnect("leaving", true);
    if (plan === "nothing") return "not-in-meeting";
    await this.pendingJoin?.catch(() => undefined);
    await this.reports.flush(REPORTS_FLUSH_MS); // the server takes no report once we have left
    const outcome = await sendLeave(this.meetingId);
    this.lifecycle.send("left");
    return outcome;
  }

  private async end(ending: Ending): Promise<void> {
    if (!this.lifecycle.send("end")) return;
    await this.disconnect(ending.reason, false, !serverEndedLegs(ending));
    this.emit("ended", ending);
  }

  private cleanup(): void {
    for (const off of this.offs) off();
    this.speakers.stop();
    this.adaptation.stop();
    for (const protocol of this.protocols.values()) void protocol.stop?.();
  }
}
