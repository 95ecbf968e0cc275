/** Recordings: those kept in this browser (read again after each one is saved). */
import type { RoomUi } from "../room/store";
import { RecordingList } from "./RecordingList";

export function RecordingsPanel({ ui }: { ui: RoomUi }) {
  return (
    <div class="pane recordings-pane">
      <p class="muted small">Recordings are saved in this browser only and never uploaded.</p>
      <div>
        <RecordingList key={ui.recordingsSaved.value} />
      </div>
    </div>
  );
}
