/**
 * What the room tells the person while it is open: new chat messages, incoming files, polls and
 * questions (an unread mark when their panel is closed), the meeting's status, activity on the closed
 * whiteboard, media errors; all words go through core/announce, shown as toasts here (except
 * the quiet ones, already on screen). Returns the function that stops it all.
 */
import { effect } from "@preact/signals-core";
import { announce, onAnnounce } from "../../core/announce";
import type { LocalMedia } from "../../core/meeting/media";
import { say } from "../../ui/announcer";
import { toast } from "../../ui/dom";
import type { RoomSession } from "./session";
import type { RoomUi } from "./store";

const BOARD_ACTIVITY_MS = 6000;

export function startNotifications(session: RoomSession, ui: RoomUi, local: LocalMedia): () => void {
  let activityTimer: ReturnType<typeof setTimeout> | undefined;
  // The room's toasts go with the room: "Bob joined" must not follow a person who left to the
  // home page or their data.
  const shown = new Set<() => void>();
  // News of a poll: with the panel open it is on screen (said, not shown again); otherwise the
  // Polls control is marked.
  const pollNews = (words: (open: boolean) => string) => {
    const open = ui.panel.peek() === "polls";
    if (!open) ui.unreadPoll.value = true;
    announce(words(open), { quiet: open });
  };
  const offs = [
    onAnnounce(({ text, urgency, quiet }) => {
      // Quiet ones are already on screen (a reaction over a tile): said, not shown again.
      if (quiet) say(text, urgency);
      else {
        const remove = toast(text, urgency === "assertive" ? "error" : "info", () => shown.delete(remove));
        shown.add(remove);
      }
    }),
    session.chat.on("message", (message) => {
      if (ui.panel.peek() === "chat" || message.mine) return;
      ui.unreadChat.value++;
      announce(`${message.fromName}: ${message.text.slice(0, 80)}`);
    }),
    session.chat.on("notice", (text) => announce(text)),
    session.pin.on("notice", (text) => announce(text)),
    session.files.on("started", (transfer) => {
      if (transfer.direction !== "in" || ui.panel.peek() === "files") return;
      ui.unreadFiles.value = true;
      announce(`${session.meeting.displayName(transfer.peerUid)} is sending you ${transfer.name}`);
    }),
    effect(() => {
      const status = session.meeting.status.value;
      ui.status.value = status;
      // Shown in the top bar; said once (quietly: no toast) when there is something to say.
      if (status) announce(status, { quiet: true });
    }),
    session.polls.on("asked", (poll) => pollNews((open) => `${session.name(poll.by)} asks: ${poll.question}${open ? "" : " Open Polls to answer."}`)),
    session.polls.on("ended", (poll) =>
      pollNews((open) => {
        const end = poll.state === "ended" ? (open ? "here are the results." : "see the results in Polls.") : `${session.name(poll.by)} left.`;
        return `The poll "${poll.question}" ended: ${end}`;
      }),
    ),
    // A question: with the Q&A panel open it is on screen (said); otherwise the control is marked
    // and it is said, not shown: questions may come often, unlike a poll.
    session.qa.on("asked", (question) => {
      const open = ui.panel.peek() === "qa";
      if (!open) ui.unreadQuestion.value = true;
      announce(`${session.name(question.asker)} asks: ${question.text.slice(0, 80)}${open ? "" : " (Q&A)"}`, { quiet: true });
    }),
    session.qa.on("marked", (question) => {
      const words = { answered: "marked your question answered", hidden: "hid your question", open: "reopened your question" }[question.state];
      announce(`A host ${words}: ${question.text.slice(0, 80)}`);
    }),
    session.board.on("activity", (text) => {
      if (ui.whiteboard.peek() !== "closed") return;
      const before = ui.status.peek();
      ui.status.value = `${text} — open the whiteboard to see it`;
      if (ui.status.peek() !== before) announce(ui.status.peek(), { quiet: true });
      clearTimeout(activityTimer);
      activityTimer = setTimeout(() => (ui.status.value = ""), BOARD_ACTIVITY_MS);
    }),
    local.on("error", (text) => announce(text, { urgency: "assertive" })),
    local.on("notice", (text) => announce(text)),
    () => clearTimeout(activityTimer),
    () => {
      for (const remove of shown) remove();
    },
  ];
  return () => {
    for (const off of offs) off();
  };
}
