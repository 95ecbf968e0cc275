/**
 * The stage: the main area (a presentation, a pinned / spotlighted / speaking participant, or the
 * whiteboard) with the tiles in a row beside it, or all tiles in an even grid; the invitation
 * when nobody else is here.
 */
import "./stage.css";
import { useCallback, useEffect, useLayoutEffect, useRef } from "preact/hooks";
import type { LocalMedia } from "../../core/meeting/media";
import { Icon } from "../../ui/Icon";
import { CaptionsView } from "../captions/CaptionsView";
import { InviteCard } from "../invite/InviteCard";
import type { RoomSession } from "../room/session";
import type { RoomUi } from "../room/store";
import { WhiteboardHost } from "../whiteboard/WhiteboardHost";
import { bestTileWidth } from "./layout";
import { MainView } from "./MainView";
import type { StageState } from "./stageState";
import { RemoteTile, SelfTile } from "./Tiles";

/** Size the grid's tiles to fill it (only in the grid layout). */
function useGridSizing(grid: { current: HTMLDivElement | null }, count: number, active: boolean) {
  const n = useRef(count);
  n.current = count;
  const layout = useCallback(() => {
    const el = grid.current;
    const width = el && active && bestTileWidth(n.current, el.clientWidth, el.clientHeight);
    if (el && width) el.style.setProperty("--tile-w", `${width}px`);
  }, [grid, active]);
  useLayoutEffect(layout, [count, layout]);
  useEffect(() => {
    const observer = new ResizeObserver(layout);
    if (grid.current) observer.observe(grid.current);
    return () => observer.disconnect();
  }, [grid, layout]);
}

export function Stage(props: { session: RoomSession; ui: RoomUi; local: LocalMedia; stage: StageState }) {
  const { session, ui, stage } = props;
  const tiles = useRef<HTMLDivElement>(null);
  const layout = stage.layout.value;
  const board = ui.whiteboard.value;
  const focus = layout.main !== null;
  const folded = focus && ui.tilesHidden.value;
  const myUid = session.meeting.myUid;
  useGridSizing(tiles, layout.order.length, !focus && layout.reason !== "pair");
  const alone = session.present.value.length === 1;
  const classes = ["stage", focus ? "focus" : "grid-layout", board === "open" ? "with-board" : "", folded ? "tiles-folded" : "", alone && !focus ? "alone" : ""];
  return (
    <section class={classes.filter(Boolean).join(" ")} aria-label="Meeting stage" data-layout={layout.reason}>
      {focus ? (
        <div class="stage-main">
          {board !== "closed" ? <WhiteboardHost board={session.board} ui={ui} org={session.org} meetingId={session.meeting.meetingId} /> : null}
          <MainView layout={layout} session={session} ui={ui} local={props.local} />
        </div>
      ) : null}
      {focus ? (
        <button
          class="btn btn-ghost btn-small fold-tiles"
          type="button"
          aria-pressed={folded}
          onClick={() => (ui.tilesHidden.value = !folded)}
        >
          <Icon name={folded ? "eye" : "eyeOff"} />
          {folded ? "Show people" : "Hide people"}
        </button>
      ) : null}
      <div ref={tiles} class={focus ? "grid strip" : "grid"} role="list" aria-label="Participants' video" data-count={String(layout.order.length)}>
        {layout.order.map((uid) =>
          uid === myUid ? (
            <SelfTile key={uid} session={session} ui={ui} local={props.local} />
          ) : (
            <RemoteTile key={uid} uid={uid} session={session} ui={ui} />
          ),
        )}
      </div>
      {layout.hidden ? (
        <button class="btn btn-ghost btn-small hidden-tiles" type="button" onClick={() => (ui.dialog.value = { kind: "layout" })}>
          {layout.hidden === 1 ? "1 person without video is hidden" : `${layout.hidden} people without video are hidden`}
        </button>
      ) : null}
      {alone && !focus ? <InviteCard session={session} /> : null}
      <CaptionsView session={session} />
    </section>
  );
}
