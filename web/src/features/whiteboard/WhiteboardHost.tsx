/** Where the whiteboard's canvas goes; the canvas code is loaded on first use. */
import { useEffect, useRef } from "preact/hooks";
import { toast } from "../../ui/dom";
import type { RoomUi } from "../room/store";
import type { Board } from "./board";

export function WhiteboardHost(props: { board: Board; ui: RoomUi }) {
  const { board, ui } = props;
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let live = true;
    let mounted: { destroy(): void } | null = null;
    import("./canvas").then(
      ({ mountWhiteboard }) => {
        if (!live || !host.current) return;
        ui.whiteboard.value = "open";
        ui.status.value = "";
        mounted = mountWhiteboard(host.current, board);
      },
      (error: unknown) => {
        console.warn("whiteboard failed to load", error);
        toast("The whiteboard could not be loaded.", "error");
        if (live) ui.whiteboard.value = "closed";
      },
    );
    return () => {
      live = false;
      mounted?.destroy();
    };
  }, [board, ui]);
  return <div ref={host} class="board-host" hidden={ui.whiteboard.value !== "open"} />;
}

/** The Whiteboard button: open (loading the canvas first), or close. */
export function toggleWhiteboard(ui: RoomUi): void {
  const state = ui.whiteboard.peek();
  if (state === "loading") return;
  ui.whiteboard.value = state === "open" ? "closed" : "loading";
}
