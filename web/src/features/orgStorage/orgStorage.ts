/**
 * What the local person's organisation stores of them in this meeting, done: their chat in
 * batches, their attendance (with engagement) at leave, and uploads of the files they share,
 * their recordings and whiteboard snapshots, each only when their own participant document's
 * `storedBy` lists that kind (the server checks the policy again at every store). Also what
 * the banner shows of everyone (storageText.ts).
 */
import { computed, signal, type ReadonlySignal, type Signal } from "@preact/signals-core";
import { announce } from "../../core/announce";
import { call } from "../../core/api/client";
import { describeFailure } from "../../core/api/errors";
import type { Meeting } from "../../core/meeting/meeting";
import { LIMITS, type ObjectKind, type StorageKind, type StoredBy } from "../../protocol.gen";
import type { ChatLog } from "../chat/chatLog";
import { ChatArchiver } from "./chatArchive";
import { watchEngagement } from "./engagementWatch";
import { roomLines, storageGroups, type StorageGroup } from "./storageText";
import { cancelSession, resumableUpload } from "./uploader";

export type UploadStatus = "starting" | "uploading" | "done" | "failed" | "cancelled";

export interface Upload {
  id: string;
  kind: ObjectKind;
  name: string;
  size: number;
  sent: number;
  status: UploadStatus;
  error?: string;
}

/** The opt-in each kind of object needs. */
export const OBJECT_STORAGE: Readonly<Record<ObjectKind, StorageKind>> = { file: "files", recording: "recordings", whiteboard: "whiteboard" };
/** Longest the leave waits for the archive calls to be made (the bytes go on in the background). */
const LEAVE_WAIT_MS = 4_000;

let uploadIds = 0;

export class OrgStorage {
  /** What our organisation stores of us here (undefined: nothing beyond the CDR). */
  readonly mine: ReadonlySignal<StoredBy | undefined>;
  readonly groups: ReadonlySignal<StorageGroup[]>;
  /** The banner's lines (empty: no banner). */
  readonly lines: ReadonlySignal<string[]>;
  readonly uploads = signal<readonly Signal<Upload>[]>([]);
  private readonly archiver: ChatArchiver;
  private readonly aborts = new Map<string, AbortController>();
  private engagement: ReturnType<typeof watchEngagement> | null = null;
  private readonly offs: (() => void)[] = [];

  constructor(
    private readonly meeting: Meeting,
    chat: ChatLog,
  ) {
    this.mine = computed(() => meeting.roster.value.get(meeting.myUid)?.storedBy);
    this.groups = computed(() =>
      storageGroups(
        [...meeting.roster.value.values()].filter((p) => p.state === "joined").map((p) => ({ uid: p.uid, name: p.displayName, storedBy: p.storedBy })),
        meeting.myUid,
      ),
    );
    this.lines = computed(() => roomLines(this.groups.value));
    this.archiver = new ChatArchiver({
      enabled: () => this.stores("chat"),
      send: (messages) => call("archive", { meetingId: meeting.meetingId, kind: "chat", messages }),
    });
    this.offs.push(chat.on("message", (m) => m.mine && this.archiver.add(m.text, m.at, m.private ? m.toUid : undefined)));
    this.offs.push(
      chat.on("unsent", (m) => {
        if (this.stores("chat") && !this.archiver.withdraw(m.text, m.at)) announce("Deleted for everyone here, but your organisation's chat archive already has it");
      }),
    );
    this.offs.push(
      chat.on("edited", ({ before, after }) => {
        if (this.stores("chat") && !this.archiver.edit(before, after.text, after.private ? after.toUid : undefined)) {
          announce("Edited here; your organisation's chat archive keeps the first text too");
        }
      }),
    );
    if (typeof document !== "undefined") {
      this.engagement = watchEngagement(meeting.local);
      // The tab is closing: the last messages, at least attempted (the SDK has no keepalive path).
      const onHide = () => void this.archiver.flush();
      window.addEventListener("pagehide", onHide);
      this.offs.push(() => window.removeEventListener("pagehide", onHide));
    }
  }

  stores(kind: StorageKind): boolean {
    return this.mine.peek()?.kinds.includes(kind) ?? false;
  }

  /** The organisation's name, for "Save to Acme". */
  get orgName(): string {
    return this.mine.peek()?.orgName ?? "your organisation";
  }

  /** A file we shared: stored too when the organisation stores our files; a private one only
   * when its addressee is a member whose files the same organisation stores (as chat is). */
  fileShared(file: File, toUid: string | null): void {
    if (!this.stores("files")) return;
    if (toUid) {
      const to = this.meeting.roster.peek().get(toUid)?.storedBy;
      if (to?.orgId !== this.mine.peek()?.orgId || !to?.kinds.includes("files")) return;
    }
    void this.upload("file", file.name, file);
  }

  /** Who has been in this meeting (left or not) whose `kind` our organisation may not store:
   * a recording or a board may show them, so it is not stored (the server refuses it too). */
  notStored(kind: StorageKind): string[] {
    const mine = this.mine.peek();
    return [...this.meeting.roster.peek().values()]
      .filter((p) => p.storedBy?.orgId !== mine?.orgId || !p.storedBy?.kinds.includes(kind))
      .map((p) => p.displayName);
  }

  /** Upload to the organisation's store (upload_object, then the bytes straight to Cloud Storage). */
  async upload(kind: ObjectKind, name: string, blob: Blob): Promise<void> {
    const needs = OBJECT_STORAGE[kind];
    if (!this.stores(needs)) return;
    const id = `upload-${++uploadIds}`;
    const view = signal<Upload>({ id, kind, name, size: blob.size, sent: 0, status: "starting" });
    this.uploads.value = [...this.uploads.peek(), view];
    const set = (change: Partial<Upload>): void => {
      view.value = { ...view.peek(), ...change };
    };
    if (blob.size > LIMITS.objectMaxBytes) return set({ status: "failed", error: "too large to store" });
    const others = kind === "file" ? [] : this.notStored(needs);
    if (others.length) return set({ status: "failed", error: `it may show ${others.join(", ")}, whose organisation does not store it` });
    const abort = new AbortController();
    this.aborts.set(id, abort);
    const requestId = crypto.randomUUID();
    let url: string | null = null;
    try {
      const session = await call("upload_object", {
        meetingId: this.meeting.meetingId,
        kind,
        name: name.slice(0, LIMITS.objectNameMaxChars) || kind,
        contentType: (blob.type || "application/octet-stream").slice(0, LIMITS.contentTypeMaxChars),
        size: blob.size,
        // One key per upload: a repeat after a lost answer gets the same object, not a second.
        requestId,
      });
      url = session.uploadUrl;
      if (abort.signal.aborted) throw new DOMException("cancelled", "AbortError");
      set({ status: "uploading" });
      await resumableUpload({ url, blob, signal: abort.signal, onProgress: (sent) => set({ sent }) });
      set({ status: "done", sent: blob.size });
    } catch (error) {
      if (abort.signal.aborted) {
        set({ status: "cancelled" });
        if (url) void cancelSession(url);
      } else {
        const failure = describeFailure(error);
        set({ status: "failed", error: failure.reason === "not-allowed-by-policy" ? "your organisation does not store this" : failure.message || "try again" });
      }
    } finally {
      this.aborts.delete(id);
    }
  }

  cancel(id: string): void {
    this.aborts.get(id)?.abort();
  }

  /** Before leave_meeting: the last chat batch, and `extra` (the board's last snapshot), waited for briefly. */
  async beforeLeave(extra: () => Promise<void> = async () => undefined): Promise<void> {
    const work = Promise.all([this.archiver.stop(), extra().catch(() => undefined)]);
    await Promise.race([work, new Promise((resolve) => setTimeout(resolve, LEAVE_WAIT_MS))]);
  }

  /** After leave_meeting (the server has our leave time): our attendance, with engagement if stored. */
  async afterLeave(): Promise<void> {
    this.engagement?.stop();
    for (const off of this.offs.splice(0)) off();
    if (!this.stores("attendance")) return;
    const engagement = this.stores("engagement") ? this.engagement?.counter.read(performance.now()) : undefined;
    try {
      await call("archive", { meetingId: this.meeting.meetingId, kind: "attendance", ...(engagement ? { engagement } : {}) });
    } catch (error) {
      console.debug("archiving the attendance failed", describeFailure(error).code);
    }
  }
}
