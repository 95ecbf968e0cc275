/** The Record button: start the (lazy-loaded) recorder on the tiles, or stop and save. */
import type { LocalMedia } from "../../core/meeting/media";
import { toast } from "../../ui/dom";
import type { RoomSession } from "../room/session";
import type { RoomUi } from "../room/store";
import type { RecordingSource } from "./recorder";

/**
 * Our camera for a recording while our own tile is not on the page (self view hidden): a video
 * element of the recording's own, so that we are still in it, heard and seen.
 */
class OwnCamera {
  private readonly video = document.createElement("video");
  private track: MediaStreamTrack | null = null;

  constructor() {
    this.video.muted = true;
    this.video.playsInline = true;
  }

  show(track: MediaStreamTrack | null): HTMLVideoElement {
    if (track !== this.track) {
      this.track = track;
      this.video.srcObject = track ? new MediaStream([track]) : null;
      if (track) void this.video.play().catch(() => undefined);
    }
    return this.video;
  }
}

/** What the recorder composes: each tile's video with its name, and its audio; shared screens too. */
export function recordingSources(session: RoomSession, ui: RoomUi, local: LocalMedia, own?: OwnCamera): RecordingSource[] {
  const { meeting } = session;
  const sources = [...ui.videos].map(([key, video]) => {
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
  if (own && !ui.videos.has(meeting.myUid)) {
    const video = own.show(local.cameraTrack);
    sources.unshift({ uid: meeting.myUid, name: meeting.displayName(meeting.myUid), video, audio: local.audioTrack });
  } else own?.show(null);
  return sources;
}

export async function toggleRecording(session: RoomSession, ui: RoomUi, local: LocalMedia): Promise<void> {
  const { meeting } = session;
  ui.recordingBusy.value = true;
  try {
    const current = ui.recorder.peek();
    if (current) {
      ui.recorder.value = null;
      ui.recordingPaused.value = false;
      await current.stop();
      meeting.mediaState.setRecording(false);
      toast("Recording saved in this browser");
      ui.recordingsSaved.value++;
    } else {
      const { startRecording } = await import("./recorder");
      const own = new OwnCamera();
      ui.recorder.value = await startRecording({
        meetingId: meeting.meetingId,
        title: meeting.title,
        sources: () => recordingSources(session, ui, local, own),
        onStop: () => own.show(null), // a playing element would go on decoding the camera
      });
      meeting.mediaState.setRecording(true);
      toast("Recording to this browser");
    }
  } catch (error) {
    console.warn("recording failed", error);
    toast(`Recording is not possible: ${(error as Error).message}`, "error");
    ui.recorder.value = null;
    ui.recordingPaused.value = false;
    meeting.mediaState.setRecording(false);
  } finally {
    ui.recordingBusy.value = false;
  }
}

/** Pause our recording, or resume it; everyone is told, as when it starts and stops. */
export function togglePause(session: RoomSession, ui: RoomUi): void {
  const recorder = ui.recorder.peek();
  if (!recorder) return;
  if (recorder.paused) recorder.resume();
  else recorder.pause();
  ui.recordingPaused.value = recorder.paused;
  session.meeting.mediaState.setRecording(recorder.paused ? "paused" : true);
  toast(recorder.paused ? "Recording paused: nothing is recorded until you resume" : "Recording resumed");
}
