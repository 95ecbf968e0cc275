/** Home: start a meeting, join one by code or link, recent meetings, local recordings. */
import { signOut, type User } from "firebase/auth";
import { auth } from "./firebase";
import { call } from "./core/api/client";
import { errorCode } from "./core/api/errors";
import { navigate, type View } from "./core/router/router";
import { stashPassword } from "./core/state/stash";
import type { CreateMeetingRequest } from "./protocol.gen";
import { forgetMeeting, parseMeetingId, recentMeetings, rememberMeeting } from "./recent";
import { clear, h, icon, toast } from "./ui/dom";
import { formatDateTime } from "./ui/dates";
import { useEmulators } from "./config";
import { adminOrgs } from "./features/admin/policyForm";

/** "Organisation admin", added once the ID token says this account administers an organisation. */
function addAdminLink(user: User, before: HTMLElement): void {
  user.getIdTokenResult().then(
    (token) => {
      if (adminOrgs(token.claims).length && before.isConnected) {
        before.before(h("a", { class: "btn btn-ghost", href: "/admin", "data-link": true }, "Organisation admin"));
      }
    },
    () => undefined,
  );
}

export function header(user: User): HTMLElement {
  const name = user.displayName || user.email || user.phoneNumber || "Signed in";
  const myData = h("a", { class: "btn btn-ghost", href: "/my-data", "data-link": true }, "My data");
  addAdminLink(user, myData);
  return h(
    "header",
    { class: "topbar" },
    h("a", { class: "brand", href: "/", "data-link": true, "aria-label": "AVMeets home" }, icon("cam"), h("span", null, "AVMeets")),
    useEmulators ? h("span", { class: "badge-emulator small" }, "emulator") : null,
    h("span", { class: "spacer" }),
    h("a", { class: "btn btn-ghost", href: "/privacy", "data-link": true }, "Privacy"),
    myData,
    h("span", { class: "user-name", title: user.email ?? "" }, name),
    h(
      "button",
      { class: "btn btn-ghost", type: "button", onclick: () => void signOut(auth) },
      "Sign out",
    ),
  );
}

/**
 * "Start a meeting": title and password (both optional) and the waiting room (on by default for
 * a meeting without a password, as on the server), then the lobby of the new meeting.
 */
function createForm(): HTMLFormElement {
  const createError = h("p", { class: "form-error", role: "alert", hidden: true });
  const title = h("input", { id: "meeting-title", maxlength: 100, placeholder: "Weekly sync", autocomplete: "off" });
  const password = h("input", {
    id: "meeting-password",
    type: "password",
    maxlength: 128,
    autocomplete: "new-password",
    placeholder: "Leave empty for none",
  });
  const lobby = h("input", { id: "meeting-lobby", type: "checkbox", checked: true, "aria-describedby": "meeting-lobby-help" });
  // Follows the password until the person chooses: a password usually stands for the lobby.
  let lobbyChosen = false;
  lobby.addEventListener("change", () => (lobbyChosen = true));
  password.addEventListener("input", () => {
    if (!lobbyChosen) lobby.checked = !password.value;
  });
  const createButton = h("button", { class: "btn btn-primary", type: "submit" }, "Create meeting");
  const form = h(
    "form",
    { class: "card", "aria-labelledby": "create-title" },
    h("h2", { id: "create-title" }, "Start a meeting"),
    h("div", { class: "field" }, h("label", { for: "meeting-title" }, "Title (optional)"), title),
    h("div", { class: "field" }, h("label", { for: "meeting-password" }, "Password (optional)"), password),
    h(
      "div",
      { class: "field checkbox-field" },
      h("label", { for: "meeting-lobby" }, lobby, " Waiting room"),
      h("p", { id: "meeting-lobby-help", class: "muted small" }, "Newcomers ask to join and you let them in."),
    ),
    createButton,
    createError,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    createButton.disabled = true;
    createError.hidden = true;
    const data: CreateMeetingRequest = {};
    if (title.value.trim()) data.title = title.value.trim();
    if (password.value) data.password = password.value;
    data.lobby = lobby.checked;
    try {
      const result = await call("create_meeting", data);
      if (data.password) stashPassword(result.meetingId, data.password);
      rememberMeeting(result.meetingId, data.title ?? null);
      navigate(`/m/${result.meetingId}`);
    } catch (error) {
      createError.hidden = false;
      createError.textContent =
        errorCode(error) === "invalid-argument"
          ? (error as Error).message
          : "The meeting could not be created. Try again in a moment.";
    } finally {
      createButton.disabled = false;
    }
  });
  return form;
}

/** "Join a meeting": a code or a whole link. */
function joinForm(): HTMLFormElement {
  const code = h("input", {
    id: "join-code",
    placeholder: "abc-defg-hij or a link",
    autocomplete: "off",
    autocapitalize: "none",
    spellcheck: false,
  });
  const joinError = h("p", { class: "form-error", role: "alert", hidden: true });
  const form = h(
    "form",
    { class: "card", "aria-labelledby": "join-title" },
    h("h2", { id: "join-title" }, "Join a meeting"),
    h("div", { class: "field" }, h("label", { for: "join-code" }, "Meeting code or link"), code),
    h("button", { class: "btn btn-secondary", type: "submit" }, "Join"),
    joinError,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const id = parseMeetingId(code.value);
    if (!id) {
      joinError.hidden = false;
      joinError.textContent = "A meeting code looks like abc-defg-hij.";
      code.focus();
      return;
    }
    navigate(`/m/${id}`);
  });
  return form;
}

/** The meetings joined from this browser (kept in localStorage only). */
function recentList(): HTMLUListElement {
  const ul = h("ul", { class: "recent-list" });
  const renderRecent = () => {
    clear(ul);
    const list = recentMeetings();
    if (!list.length) {
      ul.appendChild(h("li", { class: "muted" }, "Meetings you join appear here (kept in this browser only)."));
      return;
    }
    for (const meeting of list) {
      ul.appendChild(
        h(
          "li",
          null,
          h(
            "a",
            { href: `/m/${meeting.id}`, "data-link": true },
            h("span", { class: "recent-title" }, meeting.title || "Untitled meeting"),
            h("span", { class: "recent-code" }, meeting.id),
          ),
          h("time", { class: "muted", datetime: new Date(meeting.at).toISOString() }, formatDateTime(meeting.at)),
          h(
            "button",
            {
              class: "btn btn-icon btn-ghost",
              type: "button",
              "aria-label": `Remove ${meeting.id} from recent meetings`,
              onclick: () => {
                forgetMeeting(meeting.id);
                renderRecent();
              },
            },
            icon("close"),
          ),
        ),
      );
    }
  };
  renderRecent();
  return ul;
}

/** The recordings kept in this browser, listed on demand (lazy-loaded). */
function recordingsSection(): HTMLElement {
  const recordings = h("div", { class: "recordings-home" });
  const showRecordings = h(
    "button",
    { class: "btn btn-ghost", type: "button", "aria-expanded": "false" },
    icon("record"),
    "Recordings in this browser",
  );
  let unmountRecordings: (() => void) | null = null;
  showRecordings.addEventListener("click", async () => {
    const open = showRecordings.getAttribute("aria-expanded") === "true";
    showRecordings.setAttribute("aria-expanded", String(!open));
    unmountRecordings?.();
    unmountRecordings = null;
    if (!open) {
      try {
        const { mountRecordingList } = await import("./features/recordings/RecordingList");
        unmountRecordings = mountRecordingList(recordings);
      } catch {
        toast("The recordings could not be loaded.", "error");
      }
    }
  });
  return h("section", { class: "card" }, showRecordings, recordings);
}

export function renderHome(root: HTMLElement, user: User, notice?: string): View {
  root.appendChild(header(user));
  root.appendChild(
    h(
      "main",
      { class: "home" },
      notice ? h("p", { class: "notice", role: "alert" }, notice) : null,
      h(
        "section",
        { class: "hero" },
        h("h1", null, "Meet privately."),
        h(
          "p",
          { class: "lead" },
          "Your audio, video, chat, files, whiteboard and recordings never pass through our servers: ",
          "they go directly between the browsers in the meeting, encrypted. Compare the safety code with the ",
          "others to be sure nobody sits in between. If your organisation chose to keep some of it, ",
          "everyone in the meeting is shown what and whose before joining.",
        ),
      ),
      h("div", { class: "home-grid" }, createForm(), joinForm()),
      h("section", { class: "card", "aria-labelledby": "recent-title" }, h("h2", { id: "recent-title" }, "Recent meetings"), recentList()),
      recordingsSection(),
      h(
        "footer",
        { class: "muted small-print" },
        "The server keeps call records (who met whom, when, and from which network address) for at most 7 days, ",
        "and nothing of what is said or shown. ",
        h("a", { href: "/privacy", "data-link": true }, "Privacy"),
        " · ",
        h("a", { href: "/my-data", "data-link": true }, "My data"),
      ),
    ),
  );
  return {};
}
