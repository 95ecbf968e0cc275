/**
 * Offers made before join_meeting, held until it says whom the server gave each to
 * (docs/protocol.md section 4, step 1; `participants[].offer`). Pure bookkeeping: the links
 * are PeerLinks in the app (joinOffers.ts), anything with these three methods in the tests.
 */
import { LIMITS, type ParticipantSummary } from "../../protocol.gen";

export type Ice = Pick<RTCConfiguration, "iceServers" | "iceTransportPolicy">;

/** What a held offer needs of its connection (peer.ts: PeerLink). */
export interface HeldLink {
  holdOffer(): Promise<string>;
  adopt(uid: string, session: string, ice: Ice): void;
  close(reason: string, report?: boolean): Promise<void>;
}

/** How many offers to make: the lobby's count (meeting_info `present`; unknown: 1), capped. */
export function offersToMake(present: number | null | undefined): number {
  const expected = present ?? 1;
  return Math.max(0, Math.min(LIMITS.offersPerJoin, Math.floor(expected)));
}

export class HeldOffers<L extends HeldLink> {
  private held: (L | null)[] = [];

  constructor(private readonly make: () => L) {}

  /** `count` offers' SDPs, in order; none when making one fails (the join goes without). */
  async prepare(count: number): Promise<string[]> {
    this.discard();
    const links = Array.from({ length: count }, () => this.make());
    this.held = links;
    try {
      return await Promise.all(links.map((link) => link.holdOffer()));
    } catch (error) {
      console.debug("the offers for the join could not be made", error);
      this.discard();
      return [];
    }
  }

  /** Each offer the join used goes to its participant (`register`, then gathering starts);
   * the rest are closed. */
  adopt(participants: readonly ParticipantSummary[], ice: Ice, register: (link: L) => void): void {
    const held = this.held;
    for (const participant of participants) {
      const link = participant.offer === undefined ? null : (held[participant.offer] ?? null);
      if (!link) continue;
      held[participant.offer as number] = null;
      link.adopt(participant.uid, participant.session, ice);
      register(link);
    }
    this.discard();
  }

  /** Close the offers nobody got (or all of them: the join failed, or we left meanwhile). */
  discard(): void {
    for (const link of this.held) void link?.close("an offer the join did not use", false);
    this.held = [];
  }
}
