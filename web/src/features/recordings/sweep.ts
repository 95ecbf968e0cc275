/**
 * Deletes the recordings whose time is up and tells the person, the day before, which ones will
 * go (lazy-loaded by main.ts on every page load, and again every hour a tab stays open).
 */
import { h } from "../../ui/dom";
import { formatDateTime } from "../../ui/dates";
import "./expiry.css";
import { sweepPlan } from "./expiry";
import { keepDays } from "./retention";
import { deleteRecording, listRecordings } from "./store";

const EVERY_MS = 3600 * 1000;

function notice(text: string): void {
  document.querySelector(".recordings-notice")?.remove();
  const close = h("button", { class: "btn btn-secondary btn-small", type: "button" }, "OK");
  const box = h("div", { class: "recordings-notice toast toast-info", role: "status" }, h("p", null, text), close);
  close.addEventListener("click", () => box.remove());
  document.body.appendChild(box);
}

export async function sweepRecordings(now = Date.now()): Promise<void> {
  let metas;
  try {
    metas = await listRecordings();
  } catch {
    return; // no IndexedDB here: no recordings either
  }
  const days = keepDays.peek();
  const plan = sweepPlan(metas, now, days);
  for (const meta of plan.expired) await deleteRecording(meta.id);
  const lines: string[] = [];
  if (plan.expired.length) {
    const n = plan.expired.length;
    lines.push(`${n} recording${n === 1 ? " was" : "s were"} deleted from this browser: ${days} day${days === 1 ? "" : "s"} had passed.`);
  }
  if (plan.soon.length) {
    const n = plan.soon.length;
    const first = Math.min(...plan.soon.map((m) => m.startedAt)) + days * 24 * 3600 * 1000;
    lines.push(
      `${n} recording${n === 1 ? "" : "s"} will be deleted from this browser from ${formatDateTime(first)}. ` +
        "Download them from “Recordings in this browser” to keep them.",
    );
  }
  if (lines.length) notice(lines.join(" "));
}

let timer: ReturnType<typeof setInterval> | null = null;

export function startRecordingSweeps(): void {
  void sweepRecordings();
  timer ??= setInterval(() => void sweepRecordings(), EVERY_MS);
}
