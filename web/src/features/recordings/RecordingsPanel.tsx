/** Recordings: those kept in this browser (read again after each one is saved); when our
 * organisation stores our recordings, "Save to <organisation>" uploads one of this meeting. */
import type { OrgStorage } from "../orgStorage/orgStorage";
import { OrgUploads } from "../orgStorage/OrgUploads";
import type { RoomUi } from "../room/store";
import { RecordingList, recordingFileName } from "./RecordingList";
import { recordingBlob, type RecordingMeta } from "./store";

export function RecordingsPanel({ ui, org, meetingId }: { ui: RoomUi; org: OrgStorage; meetingId: string }) {
  const stores = org.mine.value?.kinds.includes("recordings") ?? false;
  const save = async (meta: RecordingMeta) => org.upload("recording", recordingFileName(meta), await recordingBlob(meta));
  const action = (meta: RecordingMeta) =>
    stores && meta.meetingId === meetingId && meta.complete ? (
      <button class="btn btn-secondary btn-small" type="button" onClick={() => void save(meta)}>
        {`Save to ${org.orgName}`}
      </button>
    ) : null;
  return (
    <div class="pane recordings-pane">
      <p class="muted small">
        {stores
          ? `Recordings are saved in this browser. ${org.orgName} stores the ones you save to it (they show everyone on screen).`
          : "Recordings are saved in this browser only and never uploaded."}
      </p>
      {stores ? <OrgUploads org={org} kind="recording" /> : null}
      <div>
        <RecordingList key={ui.recordingsSaved.value} action={action} />
      </div>
    </div>
  );
}
