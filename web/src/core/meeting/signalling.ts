/**
 * Firestore signalling (docs/protocol.md sections 3 and 4): the participants listener, the
 * listener of the signals addressed to us (applied one at a time, in createdAt order, each once,
 * then deleted), and writing our own signals once that listener is live.
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
import { app } from "../../firebase";
import { emulators, useEmulators } from "../../config";
import type { SignalCandidate, SignalType } from "../../protocol.gen";
import { errorCode } from "../api/errors";
import { SIGNAL_DELETE_POLICY } from "../api/policies";
import { sleep, withRetry } from "../api/retry";
import type { RawParticipant } from "./roster";
import { millisOf } from "./timestamps";

let firestore: Firestore | null = null;

/** The Firestore client of the app (the emulator's in development and tests). */
export function db(): Firestore {
  if (!firestore) {
    firestore = getFirestore(app);
    if (useEmulators) connectFirestoreEmulator(firestore, emulators.firestore.host, emulators.firestore.port);
  }
  return firestore;
}

/** A signal addressed to us, as read. */
export interface IncomingSignal {
  id: string;
  from: string;
  session: string;
  toSession: string;
  type: SignalType | string;
  sdp?: string;
  candidates?: SignalCandidate[];
  /** Epoch ms (the server's estimate while pending). */
  createdAt: number;
}

/** What we send: the addressing is added here. */
export type OutgoingSignal =
  | { type: "offer" | "answer"; sdp: string }
  | { type: "candidates"; candidates: SignalCandidate[] };

export interface SignallingHandlers {
  /** The whole participants collection, as the server has it now (never the cache's). */
  participants(docs: RawParticipant[]): void;
  /** One signal, in order; the next waits for the returned promise. */
  signal(signal: IncomingSignal): Promise<void>;
  /** A listener stopped (usually the rules refusing us because the server closed us out). */
  error(what: "participants" | "signals", error: Error): void;
}

/** Longest wait for the signals listener before a signal is sent regardless. */
const LISTENING_WAIT_MS = 5_000;

function toSignal(id: string, data: DocumentData): IncomingSignal {
  return {
    id,
    from: String(data.from ?? ""),
    session: String(data.session ?? ""),
    toSession: String(data.toSession ?? ""),
    type: String(data.type ?? ""),
    sdp: typeof data.sdp === "string" ? data.sdp : undefined,
    candidates: Array.isArray(data.candidates) ? (data.candidates as SignalCandidate[]) : undefined,
    createdAt: millisOf(data.createdAt) || Number.MAX_SAFE_INTEGER,
  };
}

export class Signalling {
  private participantsOff: Unsubscribe | null = null;
  private signalsOff: Unsubscribe | null = null;
  /** Resolves once the signals listener has its first snapshot from the server. */
  private listening: Promise<void> = Promise.resolve();
  private chain: Promise<void> = Promise.resolve();
  private seen = new Set<string>();

  constructor(
    private readonly meetingId: string,
    private readonly myUid: string,
    /** True once nothing more is to be sent or deleted (leaving). */
    private readonly stopped: () => boolean,
    private readonly handlers: SignallingHandlers,
  ) {}

  /** The participants listener: the rules allow it once we are joined. */
  listenParticipants(): void {
    const handlers = this.handlers;
    const meeting = doc(db(), "meetings", this.meetingId);
    this.participantsOff?.();
    this.participantsOff = onSnapshot(
      collection(meeting, "participants"),
      { includeMetadataChanges: true },
      (snapshot) => {
        // Only what the server confirmed: right after a re-join the cache still holds our
        // previous session's document, which would look like being closed out again.
        if (snapshot.metadata.fromCache) return;
        handlers.participants(snapshot.docs.map((d) => ({ id: d.id, data: d.data() })));
      },
      (error) => handlers.error("participants", error),
    );
  }

  /**
   * The listener of the signals addressed to us. The rules allow it before we join, so it is
   * started before `join_meeting` (docs/protocol.md section 4, step 1): by the time the join
   * returns the listen is live and the first offer can be written at once. What it delivers
   * before our session is known is for an old session (nobody can address the new one before
   * the join commits): the handler ignores and deletes it, as the protocol asks.
   */
  listenSignals(): void {
    if (this.signalsOff) return;
    const handlers = this.handlers;
    const meeting = doc(db(), "meetings", this.meetingId);
    let live!: () => void;
    this.listening = new Promise<void>((resolve) => (live = resolve));
    this.signalsOff = onSnapshot(
      query(collection(meeting, "signals"), where("to", "==", this.myUid)),
      { includeMetadataChanges: true },
      (snapshot) => {
        if (!snapshot.metadata.fromCache) live();
        const added = snapshot
          .docChanges()
          .filter((change) => change.type === "added")
          .map((change) => toSignal(change.doc.id, change.doc.data({ serverTimestamps: "estimate" })));
        added.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
        for (const signal of added) this.chain = this.chain.then(() => this.apply(signal, handlers));
      },
      (error) => handlers.error("signals", error),
    );
  }

  /** Stop listening; signals already seen are forgotten (a re-join starts afresh). */
  stop(): void {
    this.participantsOff?.();
    this.signalsOff?.();
    this.participantsOff = this.signalsOff = null;
    this.seen.clear();
  }

  private async apply(signal: IncomingSignal, handlers: SignallingHandlers): Promise<void> {
    if (this.seen.has(signal.id)) return;
    this.seen.add(signal.id);
    try {
      await handlers.signal(signal);
    } catch (error) {
      console.debug(`applying ${signal.type} ${signal.id} failed`, error);
    }
    // Not awaited: a repeated delete must not hold up the signals queued behind this one.
    void this.delete(signal.id);
  }

  private async delete(id: string): Promise<void> {
    try {
      await withRetry(SIGNAL_DELETE_POLICY, () => deleteDoc(doc(db(), "meetings", this.meetingId, "signals", id)), {
        stop: this.stopped,
      });
    } catch (error) {
      // Left for the server: the purge removes a meeting's signals once it has ended.
      console.debug(`deleting signal ${id} failed (${errorCode(error)})`, error);
    }
  }

  /** Write a signal from our current `session()` to `to`/`toSession`, once our signals listener is live. */
  async send(session: () => string | null, to: string, toSession: string, signal: OutgoingSignal): Promise<void> {
    // Ask for a reply only once our signals listener is live on the server: the Firestore
    // emulator can lose changes that land while a listen is being set up (docs/protocol.md,
    // section 4, step 2). The offer is gathered meanwhile, so this rarely waits at all.
    await Promise.race([this.listening, sleep(LISTENING_WAIT_MS)]);
    const from = session();
    if (this.stopped() || !from) return;
    await addDoc(collection(db(), "meetings", this.meetingId, "signals"), {
      from: this.myUid,
      session: from,
      to,
      toSession,
      ...signal,
      createdAt: serverTimestamp(),
    });
  }
}
