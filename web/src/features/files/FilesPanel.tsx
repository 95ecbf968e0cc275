/** Files: pick or drop some to send (to everyone or privately); each transfer with its progress. */
import type { Signal } from "@preact/signals";
import { announce } from "../../core/announce";
import { formatBytes, toast } from "../../ui/dom";
import { PERMISSIONS } from "../hosts/permissions";
import { Icon } from "../../ui/Icon";
import type { RoomSession } from "../room/session";
import type { RoomUi } from "../room/store";
import type { Transfer } from "./fileShare";
import { TargetSelect } from "../room/TargetSelect";
import { OrgUploads } from "../orgStorage/OrgUploads";

function statusText(t: Transfer): string {
  const pct = t.size ? Math.floor((100 * t.bytes) / t.size) : 100;
  switch (t.status) {
    case "queued":
      return "Waiting…";
    case "sending":
    case "receiving":
      return `${pct}% · ${formatBytes(t.bytes)} of ${formatBytes(t.size)}`;
    case "done":
      return `${formatBytes(t.size)} · ${t.direction === "out" ? "sent" : "received"}`;
    case "failed":
      return `Failed${t.error ? `: ${t.error}` : ""}`;
    case "cancelled":
      return "Cancelled";
  }
}

/** One transfer; re-renders only when this transfer changes. */
function TransferRow(props: { transfer: Signal<Transfer>; session: RoomSession }) {
  const t = props.transfer.value;
  const who = props.session.name(t.peerUid) + (t.private ? " (private)" : "");
  let action = null;
  if (t.direction === "in" && t.status === "done" && t.url) {
    action = (
      <a class="btn btn-secondary btn-small" href={t.url} download={t.name} data-download={t.id}>
        <Icon name="download" />
        Save
      </a>
    );
  } else if (t.direction === "out" && (t.status === "sending" || t.status === "queued")) {
    action = (
      <button class="btn btn-ghost btn-small" type="button" onClick={() => props.session.files.cancel(t.id)}>
        Cancel
      </button>
    );
  }
  return (
    <li class="file-row" data-transfer-id={t.id} data-direction={t.direction} data-status={t.status}>
      <div class="file-name">
        <Icon name="file" />
        <span>{t.name}</span>
      </div>
      <div class="muted small">{t.direction === "out" ? `to ${who}` : `from ${who}`}</div>
      <progress max={t.size || 1} value={t.size ? t.bytes : 1} aria-label={`Progress of ${t.name}`} />
      <div class="file-foot">
        <span class="muted small">{statusText(t)}</span>
        <span class="file-action">{action}</span>
      </div>
    </li>
  );
}

/** Send each file to the panel's addressee (everyone, or one person), one after another. */
export function sendFiles(session: RoomSession, ui: RoomUi, files: readonly File[]): void {
  const toUid = session.addressee(ui.filesTo.peek());
  if (files.length && !session.files.mayWrite(toUid)) {
    announce(PERMISSIONS.files.off, { urgency: "assertive" });
    return;
  }
  for (const file of files) {
    if (!session.files.send(file, toUid).length) {
      toast("Nobody is connected to receive the file yet.", "error");
      return;
    }
    session.org.fileShared(file, toUid);
  }
}

export function FilesPanel(props: { session: RoomSession; ui: RoomUi }) {
  const { session } = props;
  const to = props.ui.filesTo;
  const transfers = session.files.transfers.value;
  // Turned off by a host: files go only privately to those who run the meeting (the roster is
  // read so that a new co-host becomes an addressee at once).
  void session.meeting.roster.value;
  const filesOff = session.hosting.heldForMe.value.includes("files");
  const sendable = !filesOff || session.files.mayWrite(session.addressee(to.value));
  const pick = (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    sendFiles(session, props.ui, [...(input.files ?? [])]);
    input.value = "";
  };
  const pickByKey = (event: KeyboardEvent) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      document.getElementById("file-input")?.click();
    }
  };
  return (
    <div class="pane files-pane">
      {session.org.mine.value?.kinds.includes("files") ? (
        <p class="muted small" data-org-stores="files">
          {`Files go directly to the others' browsers. ${session.org.mine.value.orgName} also stores the files you share here, as your organisation chose.`}
        </p>
      ) : (
        <p class="muted small">Files go directly to the others' browsers, never to a server.</p>
      )}
      <div class="field inline">
        <label for="files-to">To</label>
        <TargetSelect id="files-to" label="Send the file to" session={session} value={to} />
      </div>
      {filesOff ? (
        <p class="files-off muted small" id="files-off">
          {PERMISSIONS.files.off}
        </p>
      ) : null}
      <label
        for="file-input"
        class="btn btn-secondary file-pick"
        tabIndex={sendable ? 0 : -1}
        role="button"
        aria-disabled={sendable ? undefined : "true"}
        aria-describedby={filesOff ? "files-off" : undefined}
        onKeyDown={pickByKey}
      >
        <Icon name="file" />
        Choose files to send
      </label>
      <input id="file-input" type="file" multiple class="visually-hidden" disabled={!sendable} onChange={pick} />
      <p class="muted small">Or drop them anywhere in the meeting.</p>
      <OrgUploads org={session.org} kind="file" />
      <ul class="file-list">
        {[...transfers].reverse().map((transfer) => (
          <TransferRow key={transfer.peek().id} transfer={transfer} session={session} />
        ))}
      </ul>
    </div>
  );
}
