/**
 * The stage's derived state: who presents (the most recent last), the last speaker other than
 * us, and from them the layout (layout.ts: chooseStage). While the room is open it tells each
 * sender what we show of it, and of a screen it does not share yet what we would show
 * (layout.ts: wantsFor → the meeting's adaptation).
 */
import { computed, effect, signal, type ReadonlySignal } from "@preact/signals-core";
import type { LocalMedia } from "../../core/meeting/media";
import type { RoomSession } from "../room/session";
import type { RoomUi } from "../room/store";
import { chooseStage, wantsFor, type StageInput, type StageLayout } from "./layout";
import { hideWithoutVideo, layoutChoice } from "./layoutChoice";

export class StageState {
  /** Who shares a screen now, in the order they started (the last one is shown). */
  readonly presenters: ReadonlySignal<readonly string[]>;
  /** The last dominant speaker other than us. */
  readonly speaker = signal<string | null>(null);
  readonly layout: ReadonlySignal<StageLayout>;
  /** What the layout is chosen from (wantsFor also asks what it would be with a new presenter). */
  private readonly input: ReadonlySignal<StageInput>;
  private readonly order = signal<readonly string[]>([]);
  private readonly withoutVideo: ReadonlySignal<readonly string[]>;

  constructor(
    private readonly session: RoomSession,
    private readonly ui: RoomUi,
    private readonly local: LocalMedia,
  ) {
    const { meeting } = session;
    this.presenters = computed(() => this.order.value);
    this.input = computed(() => ({
      uids: session.present.value,
      myUid: meeting.myUid,
      presenters: this.presenters.value,
      speaker: this.speaker.value,
      pinned: ui.pinned.value,
      spotlight: session.gestures.spotlight.value?.uid ?? null,
      board: ui.whiteboard.value !== "closed",
      narrow: ui.width.value === "narrow",
      selfHidden: ui.selfHidden.value,
      choice: layoutChoice.value,
      hideWithoutVideo: hideWithoutVideo.value,
      withoutVideo: hideWithoutVideo.value ? this.withoutVideo.value : [],
    }));
    this.layout = computed(() => chooseStage(this.input.value));
    let dark: readonly string[] = [];
    this.withoutVideo = computed(() => {
      // Connected and sending neither a camera nor a screen, by their media messages; the same
      // list while it says the same, so the stage is not laid out again with every stats tick.
      const links = [...meeting.peers.value.values()];
      const now = links.filter((link) => !link.view.value.remoteMedia.video && !link.view.value.remoteMedia.screen).map((link) => link.uid);
      if (now.join() !== dark.join()) dark = now;
      return dark;
    });
  }

  /** Who shares now, by the media messages (and our own screen). */
  private sharing(): string[] {
    const { meeting } = this.session;
    const uids = [...meeting.peers.value.values()].filter((link) => link.view.value.remoteMedia.screen).map((link) => link.uid);
    if (this.local.state.value.sharing) uids.push(meeting.myUid);
    return uids;
  }

  /** Start following; returns the function that stops. */
  start(): () => void {
    const { meeting } = this.session;
    const offs = [
      effect(() => {
        const now = this.sharing();
        const before = this.order.peek();
        const kept = before.filter((uid) => now.includes(uid));
        const next = [...kept, ...now.filter((uid) => !kept.includes(uid))];
        if (next.length !== before.length || next.some((uid, i) => uid !== before[i])) this.order.value = next;
      }),
      effect(() => {
        const speaker = meeting.speakers.state.value.speaker;
        if (speaker && speaker !== meeting.myUid) this.speaker.value = speaker;
      }),
      effect(() => this.tellWants()),
    ];
    return () => {
      for (const off of offs) off();
    };
  }

  private tellWants(): void {
    const { meeting } = this.session;
    const input = this.input.value;
    const layout = this.layout.value;
    const tiles = this.ui.tiles.value;
    const folded = this.ui.tilesHidden.value && layout.main !== null;
    // A recording composes every tile: while it runs, none is hidden from it.
    const recording = !!this.ui.recorder.value;
    const audioOnly = meeting.adaptation.audioOnly.value;
    for (const uid of this.session.present.value) {
      if (uid === meeting.myUid) continue;
      const seen = tiles.get(uid) ?? { visible: true, width: 0 };
      const visible = recording || (seen.visible && !folded);
      meeting.adaptation.show(uid, wantsFor(input, layout, uid, { ...seen, visible }, audioOnly));
    }
  }
}
