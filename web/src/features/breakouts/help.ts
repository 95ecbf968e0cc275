/**
 * Asking for a host's help from a breakout room (docs/protocol.md section 5, "Asking for help").
 * Nobody in a room is connected to the hosts in the main room, so the call goes through the
 * server as a status (`host_action` `ask-help`: the asker's `helpAt`), and every roster shows
 * it. The hosts are told of each new call (a sound, a spoken notice and the alert) and may join
 * its room, which answers it, or answer "later" (`help-later`: the call stands, the alert goes
 * for every host, the rooms panel keeps it); the asker sees that it asks, is told when a host
 * answers "later", and may cancel.
 */
import { computed, effect, type ReadonlySignal } from "@preact/signals-core";
import { announce } from "../../core/announce";
import type { Meeting } from "../../core/meeting/meeting";
import { playCue } from "../../ui/cue";
import { runsMeeting } from "../hosts/controls";
import type { Hosting } from "../hosts/hosting";
import { helpCallText, helpCalls, newHelpCalls, type HelpCall } from "./breakouts";

/** What the asker is told of a host's "later" (as Zoom's "The host is currently helping others"). */
export const HELP_LATER_TEXT = "The hosts are helping others: one will come when they can";

export class HelpDesk {
  /** Everyone asking now, the longest waiting first. */
  readonly calls: ReadonlySignal<readonly HelpCall[]>;
  /** The calls a host's alert shows: those no host answered "later". */
  readonly pending: ReadonlySignal<readonly HelpCall[]>;
  /** We ask now. */
  readonly asking: ReadonlySignal<boolean>;
  /** A host answered our call "later": the hosts are busy. */
  readonly toldLater: ReadonlySignal<boolean>;
  /** We may ask: a participant in a breakout room (the hosts run the meeting: they go themselves). */
  readonly mayAsk: ReadonlySignal<boolean>;

  constructor(
    private readonly meeting: Meeting,
    private readonly hosting: Hosting,
    myRoom: ReadonlySignal<number | null>,
  ) {
    this.calls = computed(() => helpCalls(meeting.roster.value.values(), hosting.switches.value.rooms));
    this.pending = computed(() => this.calls.value.filter((call) => !call.later));
    const mine = computed(() => this.calls.value.find((call) => call.uid === meeting.myUid));
    this.asking = computed(() => !!mine.value);
    this.toldLater = computed(() => !!mine.value?.later);
    this.mayAsk = computed(() => myRoom.value !== null && !runsMeeting(hosting.myRole.value));
  }

  /** Tell those who run the meeting of each new call, and the asker of a host's "later". */
  start(): () => void {
    let before: readonly HelpCall[] | null = null;
    let toldBefore = this.toldLater.peek();
    const asker = effect(() => {
      const told = this.toldLater.value;
      if (told && !toldBefore) announce(HELP_LATER_TEXT); // news, not a fault: not in red
      toldBefore = told;
    });
    const hosts = effect(() => {
      const now = this.calls.value;
      const hosting = runsMeeting(this.hosting.myRole.value);
      // The calls already there when we arrive or become a host are shown, not rung for.
      const fresh = before === null ? [] : newHelpCalls(before, now).filter((call) => call.uid !== this.meeting.myUid);
      before = hosting ? now : null;
      if (!hosting || !fresh.length) return;
      for (const call of fresh) announce(helpCallText(call), { urgency: "assertive", quiet: true });
      playCue();
    });
    return () => {
      asker();
      hosts();
    };
  }

  /** Ask the hosts to come (or no longer); false, and said, when refused. */
  async ask(on: boolean): Promise<boolean> {
    const done = await this.aloud(this.hosting.act(on ? "ask-help" : "cancel-help"));
    if (done) announce(on ? "The hosts were told that you ask for help" : "You no longer ask for help");
    return done;
  }

  /** A host goes to the call's room (which answers everyone asking there). */
  join(call: HelpCall): Promise<boolean> {
    return this.hosting.act("move", this.meeting.myUid, undefined, { room: call.room });
  }

  /** A host answers the call "later": the asker is told, every host's alert lets it be. */
  later(call: HelpCall): Promise<boolean> {
    return this.aloud(this.hosting.act("help-later", call.uid));
  }

  /** A participant in a room goes back to the main room (the server always lets them). */
  returnToMain(): Promise<boolean> {
    return this.aloud(this.hosting.act("move", this.meeting.myUid, undefined, { room: 0 }));
  }

  /** A host action of ours under way; a refusal is said. */
  private async aloud(acting: Promise<boolean>): Promise<boolean> {
    const done = await acting;
    if (!done) announce(this.hosting.problem.peek(), { urgency: "assertive" });
    return done;
  }
}
