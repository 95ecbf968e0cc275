/**
 * The room's UI state (not the meeting's): which panel and dialog are open, unread counts, the
 * whiteboard and the recorder, the local pin, the width class of the window. Components read the
 * signals they show and nothing else.
 */
import { signal } from "@preact/signals-core";
import type { ChatRef } from "../../core/meeting/chatChannel";
import type { Recorder } from "../recordings/recorder";
import type { Pin } from "../stage/layout";
import { clampVolume, playbackVolume } from "../stage/volume";

export type Panel = "people" | "chat" | "files" | "recordings" | "polls" | "qa" | "rooms";

export type DialogSpec =
  | { kind: "safety"; uid: string }
  | { kind: "settings" }
  | { kind: "connection"; uid: string }
  | { kind: "invite" }
  | { kind: "leave" }
  | { kind: "shortcuts" }
  | { kind: "layout" }
  | { kind: "volume"; uid: string };

/** How the window's width sorts the controls: all in a row, the secondary ones in "More", few. */
export type Width = "wide" | "medium" | "narrow";

/** Where a tile is: seen or scrolled / folded away, and how wide (px). */
export interface TileSeen {
  visible: boolean;
  width: number;
}

const MEDIUM = "(max-width: 1100px)";
const NARROW = "(max-width: 640px)";

function widthNow(): Width {
  if (typeof matchMedia !== "function") return "wide";
  return matchMedia(NARROW).matches ? "narrow" : matchMedia(MEDIUM).matches ? "medium" : "wide";
}

/** Our recording under way (recordings/recorder.ts, loaded when it starts). */
export type RecorderHandle = Recorder;

/** The element that had focus (what opened a panel), where there is a document. */
function openerNow(): HTMLElement | null {
  if (typeof document === "undefined") return null;
  return document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
}

/**
 * A panel closed (its button, its close button, Escape): focus goes back to what opened it, or,
 * when that is gone (an item of the "More" menu), to the panel's control or the "More" button.
 * Not when the person already put focus elsewhere (they pressed another control).
 */
function returnFocus(opener: HTMLElement | null, panel: Panel): void {
  if (typeof document === "undefined") return;
  requestAnimationFrame(() => {
    const active = document.activeElement;
    const lost = !active || active === document.body || !active.isConnected || !!active.closest(".side-panel");
    if (!lost) return;
    const target =
      (opener?.isConnected && opener.offsetParent !== null ? opener : null) ??
      document.querySelector<HTMLElement>(`.controls button[data-panel="${panel}"]`) ??
      document.querySelector<HTMLElement>(".controls button[aria-haspopup]");
    target?.focus();
  });
}

export class RoomUi {
  private opener: HTMLElement | null = null;
  readonly panel = signal<Panel | null>(null);
  readonly dialog = signal<DialogSpec | null>(null);
  readonly unreadChat = signal(0);
  readonly unreadFiles = signal(false);
  /** A poll was asked, or ended, while the polls panel was closed. */
  readonly unreadPoll = signal(false);
  /** Someone asked a question while the Q&A panel was closed. */
  readonly unreadQuestion = signal(false);
  /** The chat's addressee ("" = everyone) and the message being written. */
  readonly chatTo = signal("");
  readonly chatDraft = signal("");
  /** The message the next one answers (features/chat/replies.ts), or null. */
  readonly chatReply = signal<ChatRef | null>(null);
  /** The files' addressee ("" = everyone). */
  readonly filesTo = signal("");
  readonly whiteboard = signal<"closed" | "loading" | "open">("closed");
  readonly recorder = signal<RecorderHandle | null>(null);
  readonly recordingBusy = signal(false);
  /** Our recording is paused. */
  readonly recordingPaused = signal(false);
  /** Bumped when a recording was saved: the recordings list reads the store again. */
  readonly recordingsSaved = signal(0);
  /** The line in the top bar: the meeting's status, or what happens on the closed whiteboard. */
  readonly status = signal("");
  /** The browser refused to play sound without a click. */
  readonly needsGesture = signal(false);
  /** The tiles' video elements by uid, a shared screen's by `<uid>:screen` (the recorder composes them). */
  readonly videos = new Map<string, HTMLVideoElement>();
  /** A participant's camera or screen pinned large, for us only. */
  readonly pinned = signal<Pin | null>(null);
  /** The tiles beside a presentation folded away (their video is then not received). */
  readonly tilesHidden = signal(false);
  /** People whose sound we turned off, for us only (their voice and their screen's sound). */
  readonly mutedForMe = signal<ReadonlySet<string>>(new Set());
  /** People whose sound we turned down or up, for us only (0 to 1; those at full left out). */
  readonly volumes = signal<ReadonlyMap<string, number>>(new Map());
  /** Our own tile left out, for us only (the others still see us; a recording still shows us). */
  readonly selfHidden = signal(false);
  readonly width = signal<Width>(widthNow());
  /** Each tile's visibility and width, as the stage measures them. */
  readonly tiles = signal<ReadonlyMap<string, TileSeen>>(new Map());

  /** Follow the window's width; returns the function that stops. */
  watchWidth(): () => void {
    if (typeof matchMedia !== "function") return () => undefined;
    const queries = [matchMedia(MEDIUM), matchMedia(NARROW)];
    const update = () => (this.width.value = widthNow());
    for (const query of queries) query.addEventListener("change", update);
    return () => {
      for (const query of queries) query.removeEventListener("change", update);
    };
  }

  /** A tile reports where it is (only changes are published). */
  tileSeen(uid: string, seen: TileSeen | null): void {
    const before = this.tiles.peek().get(uid);
    if (seen && before && before.visible === seen.visible && before.width === seen.width) return;
    if (!seen && !before) return;
    const next = new Map(this.tiles.peek());
    if (seen) next.set(uid, seen);
    else next.delete(uid);
    this.tiles.value = next;
  }

  togglePin(pin: Pin): void {
    const current = this.pinned.peek();
    this.pinned.value = current && current.uid === pin.uid && current.kind === pin.kind ? null : pin;
  }

  toggleMutedForMe(uid: string): void {
    const next = new Set(this.mutedForMe.peek());
    if (!next.delete(uid)) next.add(uid);
    this.mutedForMe.value = next;
  }

  setVolume(uid: string, level: number): void {
    const next = new Map(this.volumes.peek());
    const clamped = clampVolume(level);
    if (clamped === 1) next.delete(uid);
    else next.set(uid, clamped);
    this.volumes.value = next;
  }

  /** What `uid`'s voice and screen play at for us. */
  playbackVolume(uid: string): number {
    return playbackVolume(this.mutedForMe.value.has(uid), this.volumes.value.get(uid));
  }

  togglePanel(name: Panel): void {
    this.setPanel(this.panel.peek() === name ? null : name);
  }

  setPanel(name: Panel | null): void {
    const before = this.panel.peek();
    if (name && !before) this.opener = openerNow();
    this.panel.value = name;
    if (!name && before) returnFocus(this.opener, before);
    if (name === "chat") this.unreadChat.value = 0;
    if (name === "files") this.unreadFiles.value = false;
    if (name === "polls") this.unreadPoll.value = false;
    if (name === "qa") this.unreadQuestion.value = false;
  }
}
