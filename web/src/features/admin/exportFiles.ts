/** An organisation's export (org_admin "export") as files: the whole as JSON, chat, attendance
 * (with engagement) and the objects list as CSV (RFC 4180). Pure. */
import type { OrgExport } from "../../protocol.gen";

export interface ExportFile {
  name: string;
  type: string;
  text: string;
}

/** One CSV cell: quoted when it holds a comma, quote or line break; a leading =+-@ is defused
 * (a spreadsheet would run it as a formula). */
export function csvCell(value: string | number | null | undefined): string {
  let text = value == null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === "string") text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csv(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

export function exportFiles(orgId: string, data: OrgExport, day: string): ExportFile[] {
  const base = `avmeets-${orgId}-${day}`;
  return [
    { name: `${base}.json`, type: "application/json", text: JSON.stringify(data, null, 2) },
    {
      name: `${base}-chat.csv`,
      type: "text/csv",
      text: csv(
        ["meetingId", "at", "fromUid", "fromName", "to", "text"],
        data.chat.map((c) => [c.meetingId, c.at, c.fromUid, c.fromName, c.to, c.text]),
      ),
    },
    {
      name: `${base}-attendance.csv`,
      type: "text/csv",
      text: csv(
        ["meetingId", "uid", "displayName", "joinedAt", "leftAt", "visibleMs", "focusedMs", "cameraOnMs", "micOnMs"],
        data.attendance.map((a) => [
          a.meetingId,
          a.uid,
          a.displayName,
          a.joinedAt,
          a.leftAt,
          a.engagement?.visibleMs,
          a.engagement?.focusedMs,
          a.engagement?.cameraOnMs,
          a.engagement?.micOnMs,
        ]),
      ),
    },
    {
      name: `${base}-objects.csv`,
      type: "text/csv",
      text: csv(
        ["meetingId", "objectId", "kind", "name", "contentType", "size", "uploadedBy", "at"],
        data.objects.map((o) => [o.meetingId, o.objectId, o.kind, o.name, o.contentType, o.size, o.uploadedBy, o.at]),
      ),
    },
  ];
}
