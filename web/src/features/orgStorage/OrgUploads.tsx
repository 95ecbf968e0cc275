/** The uploads to the organisation's store of one kind, each with its progress bar and Cancel. */
import type { Signal } from "@preact/signals";
import { formatBytes } from "../../ui/dom";
import type { ObjectKind } from "../../protocol.gen";
import type { OrgStorage, Upload } from "./orgStorage";

function statusText(u: Upload, org: string): string {
  switch (u.status) {
    case "starting":
      return `Preparing to save to ${org}…`;
    case "uploading":
      return `Saving to ${org}: ${u.size ? Math.floor((100 * u.sent) / u.size) : 100}% · ${formatBytes(u.sent)} of ${formatBytes(u.size)}`;
    case "done":
      return `Saved to ${org}`;
    case "failed":
      return `Not saved to ${org}${u.error ? `: ${u.error}` : ""}`;
    case "cancelled":
      return "Saving cancelled";
  }
}

function UploadRow(props: { upload: Signal<Upload>; org: OrgStorage }) {
  const u = props.upload.value;
  const busy = u.status === "starting" || u.status === "uploading";
  return (
    <li class="org-upload" data-upload-kind={u.kind} data-upload-status={u.status}>
      <span class="org-upload-name">{u.name}</span>
      <progress max={u.size || 1} value={u.status === "done" ? u.size || 1 : u.sent} aria-label={`Saving ${u.name} to ${props.org.orgName}`} />
      <span class="muted small" role={u.status === "failed" ? "alert" : undefined}>
        {statusText(u, props.org.orgName)}
      </span>
      {busy ? (
        <button class="btn btn-ghost btn-small" type="button" aria-label={`Cancel saving ${u.name}`} onClick={() => props.org.cancel(u.id)}>
          Cancel
        </button>
      ) : null}
    </li>
  );
}

export function OrgUploads(props: { org: OrgStorage; kind: ObjectKind }) {
  const uploads = props.org.uploads.value.filter((u) => u.peek().kind === props.kind);
  if (!uploads.length) return null;
  return (
    <ul class="org-uploads" aria-label={`Saved to ${props.org.orgName}`}>
      {[...uploads].reverse().map((upload) => (
        <UploadRow key={upload.peek().id} upload={upload} org={props.org} />
      ))}
    </ul>
  );
}
