/**
 * Files dropped anywhere in the room are sent as the Files panel would send them (to its
 * addressee), and the panel opens to show them going. While files are dragged over the page it
 * says where they will go. A folder is not sent, and the page says so.
 */
import "./files.css";
import { useEffect, useState } from "preact/hooks";
import type { RoomSession } from "../room/session";
import type { RoomUi } from "../room/store";
import { announce } from "../../core/announce";
import { foldersNotice, splitDrop } from "./dropped";
import { sendFiles } from "./FilesPanel";

/** Whether a drag carries files (not a link or text dragged from the page). */
const carriesFiles = (event: DragEvent) => !!event.dataTransfer?.types.includes("Files");

export function FileDrop(props: { session: RoomSession; ui: RoomUi }) {
  const { session, ui } = props;
  const [over, setOver] = useState(false);
  useEffect(() => {
    const onOver = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault(); // the page takes the drop instead of the browser opening the file
      if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
      setOver(true);
    };
    // Left the window (not only one element for another).
    const onLeave = (event: DragEvent) => event.relatedTarget === null && setOver(false);
    const onDrop = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      setOver(false);
      // Read during the event: the items are emptied once it returns.
      const items = [...(event.dataTransfer?.items ?? [])].filter((item) => item.kind === "file");
      const { files, folders } = splitDrop(items.map((item) => ({ file: item.getAsFile(), folder: item.webkitGetAsEntry?.()?.isDirectory === true })));
      const notice = foldersNotice(folders);
      if (notice) announce(notice, { urgency: "assertive" });
      if (!files.length) return;
      ui.setPanel("files");
      sendFiles(session, ui, files);
    };
    document.addEventListener("dragover", onOver);
    document.addEventListener("dragleave", onLeave);
    document.addEventListener("drop", onDrop);
    return () => {
      document.removeEventListener("dragover", onOver);
      document.removeEventListener("dragleave", onLeave);
      document.removeEventListener("drop", onDrop);
    };
  }, [session, ui]);
  if (!over) return null;
  const to = session.addressee(ui.filesTo.value);
  return (
    <div class="file-drop" aria-hidden="true">
      <p>{to ? `Drop to send to ${session.name(to)} only` : "Drop to send to everyone"}</p>
    </div>
  );
}
