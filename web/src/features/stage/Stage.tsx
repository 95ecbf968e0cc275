/** The stage: the whiteboard (when open) and the grid of tiles, sized to fit. */
import { useCallback, useEffect, useLayoutEffect, useRef } from "preact/hooks";
import type { LocalMedia } from "../../core/meeting/media";
import type { RoomSession } from "../room/session";
import type { RoomUi } from "../room/store";
import { WhiteboardHost } from "../whiteboard/WhiteboardHost";
import { bestTileWidth } from "./layout";
import { RemoteTile, SelfTile } from "./Tiles";

export function Stage(props: { session: RoomSession; ui: RoomUi; local: LocalMedia }) {
  const { session, ui } = props;
  const grid = useRef<HTMLDivElement>(null);
  const uids = session.present.value;
  const myUid = session.meeting.myUid;
  const board = ui.whiteboard.value;

  const count = useRef(uids.length);
  count.current = uids.length;

  const layout = useCallback(() => {
    const el = grid.current;
    const width = el && bestTileWidth(count.current, el.clientWidth, el.clientHeight);
    if (el && width) el.style.setProperty("--tile-w", `${width}px`);
  }, []);
  useLayoutEffect(layout, [uids.length, layout]);
  useEffect(() => {
    const observer = new ResizeObserver(layout);
    if (grid.current) observer.observe(grid.current);
    return () => observer.disconnect();
  }, [layout]);

  return (
    <section class={board === "open" ? "stage with-board" : "stage"} aria-label="Meeting stage">
      {board !== "closed" ? <WhiteboardHost board={session.board} ui={ui} /> : <div class="board-host" hidden />}
      <div ref={grid} class="grid" role="list" aria-label="Participants' video" data-count={String(uids.length)}>
        {uids.map((uid) =>
          uid === myUid ? (
            <SelfTile key={uid} session={session} ui={ui} local={props.local} />
          ) : (
            <RemoteTile key={uid} uid={uid} session={session} ui={ui} />
          ),
        )}
      </div>
    </section>
  );
}
