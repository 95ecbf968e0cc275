/**
 * The join_meeting call with the offers sent along (docs/protocol.md section 4, step 1): the
 * signals listener started first and held until our session is known (the answer to an offer
 * of the join can come before the join returns), one offer for each participant we expect to
 * find (heldOffers.ts). The server writes those offers in the join's own commit, so the others
 * answer while the join is still returning.
 */
import type { JoinMeetingRequest, JoinMeetingResult, ParticipantSummary } from "../../protocol.gen";
import { call } from "../api/client";
import { deviceCertificate } from "./certificate";
import { HeldOffers, offersToMake, type Ice } from "./heldOffers";
import type { PeerLink } from "./peer";
import type { Signalling } from "./signalling";

export class JoinCall {
  private readonly offers: HeldOffers<PeerLink>;
  private release: () => void = () => undefined;

  constructor(
    private readonly signalling: Signalling,
    /** A caller's link for nobody yet (its uid and session come with adopt). */
    makeLink: () => PeerLink,
    /** The device's certificate, loaded: every connection uses it, the held ones too. */
    private readonly setCertificate: (certificate: RTCCertificate | null) => void,
  ) {
    this.offers = new HeldOffers(makeLink);
  }

  /** join_meeting with an offer for each of `expected` others. On failure all of it is undone
   * (offers closed, listener stopped) and the callable's error thrown. */
  async send(data: JoinMeetingRequest, expected: number | null | undefined): Promise<JoinMeetingResult> {
    this.signalling.listenSignals(); // live when the join returns
    this.release = this.signalling.hold();
    try {
      return await this.request(data, offersToMake(expected));
    } catch (error) {
      this.abandon();
      this.signalling.stop();
      throw error;
    }
  }

  /** Joined: each offer the join used goes to its participant, the rest are closed, and the
   * signals held meanwhile are applied. */
  adopt(participants: readonly ParticipantSummary[], ice: Ice, register: (link: PeerLink) => void): void {
    this.offers.adopt(participants, ice, register);
    this.release();
  }

  /** Not going on with this join (it failed, or we left meanwhile): offers closed, signals let go. */
  abandon(): void {
    this.offers.discard();
    this.release();
  }

  private async request(data: JoinMeetingRequest, count: number): Promise<JoinMeetingResult> {
    if (count === 0) {
      const [result, certificate] = await Promise.all([call("join_meeting", data), deviceCertificate()]);
      this.setCertificate(certificate);
      return result;
    }
    this.setCertificate(await deviceCertificate());
    const offers = await this.offers.prepare(count);
    await this.signalling.live(); // an answer may follow at once (protocol.md 4.2)
    return call("join_meeting", offers.length ? { ...data, offers } : data);
  }
}
