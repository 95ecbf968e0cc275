/** The Record button: start the (lazy-loaded) recorder on the tiles, or stop and save. */
import type { LocalMedia } from "../../core/meeting/media";
import { toast } from "../../ui/dom";
import type { RoomSession } from "../room/session";
import type { RoomUi } from "../room/store";
import type { RecordingSource } from "./recorder";

/** What the recorder composes: each tile's video with its name, and its audio; shared screens too. */
export function recordingSources(session: RoomSession, ui: RoomUi, local: LocalMedia): RecordingSource[] {
  const { meeting } = session;
  return [...ui.videos].map(([key, video]) => {
    const [who, part] = key.split(":");
    const uid = who === "self" ? meeting.myUid : who;
    const isLocal = uid === meeting.myUid;
    const link = meeting.links.get(uid);
    if (part === "screen") {
      const audio = isLocal ? local.screenAudioTrack : (link?.screenStream.getAudioTracks()[0] ?? null);
      return { uid: key, name: `${meeting.displayName(uid)}'s screen`, video, audio };
    }
    return { uid, name: meeting.displayName(uid), video, audio: isLocal ? local.audioTrack : (link?.remoteStream.getAudioTracks()[0] ?? null) };
  });
}

export async function toggleRecording(session: RoomSession, ui: RoomUi, local: LocalMedia): Promise<void> {
  const { meeting } = session;
  ui.recordingBusy.value = true;
  try {
    const current = ui.recorder.peek();
    if (current) {
      ui.recorder.value = null;
      await current.stop();
      meeting.mediaState.setRecording(false);
      toast("Recording saved in this browser");
      ui.recordingsSaved.value++;
    } else {
      const { startRecording } = await import("./recorder");
      ui.recorder.value = await startRecording({
        meetingId: meeting.meetingId,
        title: meeting.title,
        sources: () => recordingSources(session, ui, local),
      });
      meeting.mediaState.setRecording(true);
      toast("Recording to this browser");
    }
  } catch (error) {
    console.warn("recording failed", error);
    toast(`Recording is not possible: ${(error as Error).message}`, "error");
    ui.recorder.value = null;
    meeting.mediaState.setRecording(false);
  } finally {
    ui.recordingBusy.value = false;
  }
}
