/** Where the whiteboard's canvas goes; the canvas code is loaded on first use. */
import { useEffect, useRef } from "preact/hooks";
import { toast } from "../../ui/dom";
import type { RoomUi } from "../room/store";
import type { Board } from "./board";
import { saveBoard } from "../orgStorage/boardSnapshot";
import type { OrgStorage } from "../orgStorage/orgStorage";
import { OrgUploads } from "../orgStorage/OrgUploads";
import "../orgStorage/orgStorage.css";

/** Where our organisation stores our whiteboard: "Save board" (a PNG) and the uploads' progress. */
function SaveBoard(props: { board: Board; org: OrgStorage; meetingId: string }) {
  const { org } = props;
  if (!org.mine.value?.kinds.includes("whiteboard")) return null;
  const save = () => {
    if (props.board.isEmpty) return toast("The board is empty: nothing to save.");
    void saveBoard(org, props.board, props.meetingId).catch(() => toast("The board could not be saved.", "error"));
  };
  return (
    <div class="board-save">
      <button class="btn btn-secondary btn-small" type="button" onClick={save}>
        Save board
      </button>
      <span class="muted small">{`${org.orgName} stores the board when you save it and when you leave.`}</span>
      <OrgUploads org={org} kind="whiteboard" />
    </div>
  );
}

export function WhiteboardHost(props: { board: Board; ui: RoomUi; org: OrgStorage; meetingId: string }) {
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
  return (
    <div class="board-host board-host-column" hidden={ui.whiteboard.value !== "open"}>
      {ui.whiteboard.value === "open" ? <SaveBoard board={board} org={props.org} meetingId={props.meetingId} /> : null}
      <div ref={host} class="board-canvas-host" />
    </div>
  );
}

/** The Whiteboard button: open (loading the canvas first), or close. */
export function toggleWhiteboard(ui: RoomUi): void {
  const state = ui.whiteboard.peek();
  if (state === "loading") return;
  ui.whiteboard.value = state === "open" ? "closed" : "loading";
}
