/**
 * Beats (docs/protocol.md `heartbeat` and section 3): every `heartbeatSeconds` while in the
 * meeting, move our presence document's `lastSeenAt` to the server's time. One write that no
 * listener receives; the roster does not change. A refused beat means we are out, or beat early:
 * our own participant document says which, and the meeting decides as for the roster's word.
 */
import { doc, getDoc, serverTimestamp, updateDoc } from "firebase/firestore";
import { errorCode } from "../api/errors";
import { ownStatusOf, type OwnStatus } from "./roster";
import { db } from "./signalling";

export class Heartbeat {
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly meetingId: string,
    private readonly uid: string,
    /** Beat only while this says the session is live. */
    private readonly live: () => boolean,
    /** A beat was refused: what our own participant document says now. */
    private readonly refused: (own: OwnStatus) => void,
  ) {}

  start(seconds: number): void {
    this.stop();
    this.timer = setInterval(() => void this.beat(), seconds * 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async beat(): Promise<void> {
    if (!this.live()) return;
    try {
      await updateDoc(doc(db(), "meetings", this.meetingId, "presence", this.uid), { lastSeenAt: serverTimestamp() });
    } catch (error) {
      const code = errorCode(error);
      if (code === "permission-denied" || code === "not-found") await this.why();
      else console.debug("beat failed", code); // offline or busy: the next beat repeats it
    }
  }

  private async why(): Promise<void> {
    try {
      const mine = await getDoc(doc(db(), "meetings", this.meetingId, "participants", this.uid));
      if (this.live()) this.refused(ownStatusOf(mine.exists() ? { id: mine.id, data: mine.data() } : undefined));
    } catch (error) {
      console.debug("own participant document unreadable", errorCode(error));
    }
  }
}
