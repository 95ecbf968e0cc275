/**
 * The room's UI state (not the meeting's): which panel and dialog are open, unread counts, the
 * whiteboard and the recorder. Components read the signals they show and nothing else.
 */
import { signal } from "@preact/signals-core";

export type Panel = "people" | "chat" | "files" | "recordings";

export type DialogSpec = { kind: "safety"; uid: string } | { kind: "settings" };

export interface RecorderHandle {
  stop(): Promise<void>;
  readonly startedAt: number;
  /** Bytes written to browser storage so far. */
  readonly bytes: number;
}

export class RoomUi {
  readonly panel = signal<Panel | null>(null);
  readonly dialog = signal<DialogSpec | null>(null);
  readonly unreadChat = signal(0);
  readonly unreadFiles = signal(false);
  /** The chat's addressee ("" = everyone) and the message being written. */
  readonly chatTo = signal("");
  readonly chatDraft = signal("");
  /** The files' addressee ("" = everyone). */
  readonly filesTo = signal("");
  readonly whiteboard = signal<"closed" | "loading" | "open">("closed");
  readonly recorder = signal<RecorderHandle | null>(null);
  readonly recordingBusy = signal(false);
  /** Bumped when a recording was saved: the recordings list reads the store again. */
  readonly recordingsSaved = signal(0);
  /** The line in the top bar: the meeting's status, or what happens on the closed whiteboard. */
  readonly status = signal("");
  /** The browser refused to play sound without a click. */
  readonly needsGesture = signal(false);
  /** The tiles' video elements by uid (the recorder composes them). */
  readonly videos = new Map<string, HTMLVideoElement>();

  togglePanel(name: Panel): void {
    this.setPanel(this.panel.peek() === name ? null : name);
  }

  setPanel(name: Panel | null): void {
    this.panel.value = name;
    if (name === "chat") this.unreadChat.value = 0;
    if (name === "files") this.unreadFiles.value = false;
  }
}
