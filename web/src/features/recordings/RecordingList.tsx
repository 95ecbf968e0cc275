/** The recordings kept in this browser: play, download, delete (the room's panel and the home page). */
import { render, type ComponentChild } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { formatDateTime } from "../../ui/dates";
import { formatBytes, formatDuration, toast } from "../../ui/dom";
import { saveBlob } from "../../ui/download";
import { Icon } from "../../ui/Icon";
import { useAudioOutput } from "../../ui/useAudioOutput";
import { expiresAt, KEEP_CHOICES } from "./expiry";
import "./expiry.css";
import { keepDays, setKeepDays } from "./retention";
import { deleteRecording, listRecordings, recordingBlob, type RecordingMeta } from "./store";

export function recordingFileName(meta: RecordingMeta): string {
  const date = new Date(meta.startedAt).toISOString().slice(0, 19).replace(/[:T]/g, "-");
  const ext = meta.mime.includes("mp4") ? "mp4" : "webm";
  return `avmeets-${meta.meetingId}-${date}.${ext}`;
}

/** How a recording is named in its buttons and dialogs: the meeting and when it began. */
function recordingLabel(meta: RecordingMeta): string {
  return `${meta.title || meta.meetingId} — ${formatDateTime(meta.startedAt)}`;
}

async function download(meta: RecordingMeta): Promise<void> {
  saveBlob(await recordingBlob(meta), recordingFileName(meta));
}

function RecordingRow(props: {
  meta: RecordingMeta;
  onPlay: (meta: RecordingMeta) => void;
  onDelete: (meta: RecordingMeta) => void;
  action?: (meta: RecordingMeta) => ComponentChild;
}) {
  const { meta } = props;
  const label = recordingLabel(meta);
  return (
    <li class="recording-row" data-recording-id={meta.id} data-size={String(meta.size)} data-duration-ms={String(meta.durationMs)}>
      <div class="recording-info">
        <span class="recording-title">{meta.title || meta.meetingId}</span>
        <span class="muted small">
          {`${formatDateTime(meta.startedAt)} · ${formatDuration(meta.durationMs)} · ${formatBytes(meta.size)}${meta.complete ? "" : " · incomplete"}`}
        </span>
        <span class="muted small" data-expires-at={String(expiresAt(meta, keepDays.value))}>
          {`Deleted from this browser on ${formatDateTime(expiresAt(meta, keepDays.value))}`}
        </span>
      </div>
      <div class="row">
        <button class="btn btn-ghost btn-small" type="button" aria-label={`Play ${label}`} onClick={() => props.onPlay(meta)}>
          <Icon name="play" />
          Play
        </button>
        <button class="btn btn-ghost btn-small" type="button" aria-label={`Download ${label}`} onClick={() => void download(meta)}>
          <Icon name="download" />
          Download
        </button>
        <button class="btn btn-ghost btn-small danger" type="button" aria-label={`Delete ${label}`} onClick={() => props.onDelete(meta)}>
          <Icon name="trash" />
          Delete
        </button>
        {props.action?.(meta)}
      </div>
    </li>
  );
}

function Player(props: { url: string; label: string }) {
  const video = useRef<HTMLVideoElement>(null);
  useAudioOutput(video);
  useEffect(() => void video.current?.play().catch(() => undefined), []);
  return <video ref={video} controls src={props.url} class="recording-video" aria-label={`Recording ${props.label}`} />;
}

/** null while loading, "unavailable" where IndexedDB is refused. */
type Items = RecordingMeta[] | null | "unavailable";

/** `action`: one more button per recording (the room's "Save to <organisation>"). */
export function RecordingList(props: { action?: (meta: RecordingMeta) => ComponentChild } = {}) {
  const [items, setItems] = useState<Items>(null);
  const [playing, setPlaying] = useState<{ url: string; label: string } | null>(null);
  const refresh = () => listRecordings().then(setItems, () => setItems("unavailable"));
  useEffect(() => void refresh(), []);
  useEffect(() => (playing ? () => URL.revokeObjectURL(playing.url) : undefined), [playing]);

  const play = async (meta: RecordingMeta) => {
    const url = URL.createObjectURL(await recordingBlob(meta));
    setPlaying({ url, label: recordingLabel(meta) });
  };
  const remove = async (meta: RecordingMeta) => {
    const label = recordingLabel(meta);
    if (!confirm(`Delete the recording "${label}" from this browser?`)) return;
    await deleteRecording(meta.id);
    setPlaying(null);
    toast("Recording deleted");
    await refresh();
  };
  const changeKeep = async (days: number) => {
    setKeepDays(days);
    const { sweepRecordings } = await import("./sweep");
    await sweepRecordings();
    await refresh();
  };
  return (
    <>
      <label class="recording-keep">
        {"Keep recordings in this browser for "}
        <select value={String(keepDays.value)} onChange={(e) => void changeKeep(Number(e.currentTarget.value))}>
          {KEEP_CHOICES.map((days) => (
            <option key={days} value={String(days)}>{`${days} day${days === 1 ? "" : "s"}`}</option>
          ))}
        </select>
      </label>
      <div class="recording-player">
        {playing ? <Player key={playing.url} url={playing.url} label={playing.label} /> : null}
      </div>
      <ul class="recording-list" aria-label="Recordings in this browser">
        {items === "unavailable" ? (
          <li class="muted">This browser does not allow local storage for recordings.</li>
        ) : items && !items.length ? (
          <li class="muted">No recordings yet. Use the record button in a meeting.</li>
        ) : (
          (items ?? []).map((meta) => (
            <RecordingRow key={meta.id} meta={meta} onPlay={(m) => void play(m)} onDelete={(m) => void remove(m)} action={props.action} />
          ))
        )}
      </ul>
    </>
  );
}

/** The list as a plain DOM island (the home page is not a Preact tree). */
export function mountRecordingList(container: HTMLElement): () => void {
  render(<RecordingList />, container);
  return () => render(null, container);
}
