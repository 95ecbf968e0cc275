/**
 * The meeting room: lobby (preview and devices), join with a password on demand, the video grid,
 * controls, and the side panel (people, chat, files, recordings). The whiteboard and the
 * recorder are lazy-loaded.
 */
import type { User } from "firebase/auth";
import { errorCode, errorDetails, errorReason } from "../firebase";
import { navigate, type RoomHandle } from "../main";
import { meetingLink, rememberMeeting } from "../recent";
import { append, clear, formatBytes, formatDuration, h, icon, toast } from "../ui/dom";
import { LocalMedia, listDevices } from "./media";
import { activeMeeting, Meeting, type ChatMessage, type LeaveOutcome } from "./meeting";
import type { PeerLink } from "./peer";
import type { Transfer } from "./files";

type Panel = "people" | "chat" | "files" | "recordings";

interface RecorderHandle {
  stop(): Promise<void>;
  readonly startedAt: number;
  /** Bytes written to browser storage so far. */
  readonly bytes: number;
}

interface WhiteboardHandle {
  destroy(): void;
}

function takePassword(meetingId: string): string | undefined {
  try {
    return sessionStorage.getItem(`avmeets:pw:${meetingId}`) ?? undefined;
  } catch {
    return undefined;
  }
}

function keepPassword(meetingId: string, password: string | undefined): void {
  try {
    if (password) sessionStorage.setItem(`avmeets:pw:${meetingId}`, password);
    else sessionStorage.removeItem(`avmeets:pw:${meetingId}`);
  } catch {
    /* ignore */
  }
}

function stateLabel(link: PeerLink | undefined): { state: string; text: string } {
  if (!link) return { state: "waiting", text: "Waiting to connect" };
  switch (link.state) {
    case "connected": {
      const relayed = link.path?.stats.relayed;
      const route = relayed === undefined ? "" : relayed ? " · relayed" : " · direct";
      return { state: "connected", text: `Connected${route}` };
    }
    case "reconnecting":
      return { state: "reconnecting", text: "Reconnecting…" };
    case "failed":
      return { state: "failed", text: "Connection failed" };
    case "closed":
      return { state: "closed", text: "Disconnected" };
    default:
      return { state: "connecting", text: "Connecting…" };
  }
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "?") + (parts.length > 1 ? parts[parts.length - 1][0] : "")).toUpperCase();
}

function hue(uid: string): number {
  let n = 0;
  for (const ch of uid) n = (n * 31 + ch.charCodeAt(0)) % 360;
  return n;
}

/** One video tile of the grid. */
class Tile {
  readonly el: HTMLElement;
  readonly video: HTMLVideoElement;
  private readonly nameEl: HTMLElement;
  private readonly badge: HTMLElement;
  private readonly micIcon: HTMLElement;
  private readonly avatar: HTMLElement;
  private readonly safety: HTMLButtonElement;
  private readonly recordingMark: HTMLElement;
  private stream: MediaStream | null = null;

  constructor(
    readonly uid: string,
    readonly isLocal: boolean,
    private readonly onSafety: (uid: string) => void,
  ) {
    this.video = h("video", { autoplay: true, playsInline: true, muted: isLocal, class: isLocal ? "mirror" : "" });
    this.video.muted = isLocal;
    this.nameEl = h("span", { class: "tile-name" });
    this.badge = h("span", { class: "tile-state", "aria-live": "polite" });
    this.micIcon = h("span", { class: "tile-mic", hidden: true }, icon("micOff", "microphone off"));
    this.avatar = h("div", { class: "tile-avatar", "aria-hidden": "true" });
    this.avatar.style.setProperty("--hue", String(hue(uid)));
    this.recordingMark = h("span", { class: "tile-rec", hidden: true }, "● REC");
    this.safety = h(
      "button",
      { class: "tile-safety btn-icon", type: "button", hidden: true, onclick: () => this.onSafety(uid) },
      icon("shield"),
    );
    this.el = h(
      "article",
      { class: "tile", dataset: { uid, local: String(isLocal) } },
      this.video,
      this.avatar,
      h("div", { class: "tile-top" }, this.recordingMark, this.safety),
      h("div", { class: "tile-bottom" }, this.micIcon, this.nameEl, this.badge),
    );
  }

  setStream(stream: MediaStream | null): void {
    if (this.stream === stream && this.video.srcObject === stream) return;
    this.stream = stream;
    this.video.srcObject = stream;
    if (stream) this.play();
  }

  play(): void {
    this.video.play().catch((error: DOMException) => {
      if (error.name === "NotAllowedError" && !this.video.muted) {
        // Autoplay with sound needs a user gesture: play muted and ask for a click.
        this.video.muted = true;
        void this.video.play().catch(() => undefined);
        document.dispatchEvent(new CustomEvent("avmeets:needs-gesture"));
      }
    });
  }

  update(opts: {
    name: string;
    state: string;
    stateText: string;
    audio: boolean;
    video: boolean;
    screen: boolean;
    recording: boolean;
    safetyCode: string | null;
    path?: string;
  }): void {
    this.nameEl.textContent = opts.name;
    this.avatar.textContent = initials(opts.name);
    this.badge.textContent = opts.stateText;
    this.el.dataset.state = opts.state;
    this.el.dataset.path = opts.path ?? "";
    this.el.classList.toggle("no-video", !opts.video);
    this.el.classList.toggle("screen", opts.screen);
    this.video.classList.toggle("mirror", this.isLocal && !opts.screen);
    this.micIcon.hidden = opts.audio;
    this.recordingMark.hidden = !opts.recording;
    this.safety.hidden = !opts.safetyCode;
    this.safety.dataset.safetyCode = opts.safetyCode ?? "";
    this.safety.setAttribute("aria-label", `Safety code with ${opts.name}: ${opts.safetyCode ?? "not yet available"}`);
    this.safety.title = opts.safetyCode ? `Safety code ${opts.safetyCode}` : "";
    this.el.setAttribute("aria-label", `${opts.name}, ${opts.stateText}`);
  }
}

export function mountRoom(root: HTMLElement, user: User, meetingId: string): RoomHandle {
  const myName = user.displayName || user.email?.split("@")[0] || user.phoneNumber || "Guest";
  const local = new LocalMedia();
  let meeting: Meeting | null = null;
  let destroyed = false;
  const handle: RoomHandle = {
    async destroy() {
      destroyed = true;
      await teardown();
    },
  };
  const cleanups: (() => void)[] = [];
  let recorder: RecorderHandle | null = null;
  let whiteboard: WhiteboardHandle | null = null;

  /** Leave the meeting and stop the media; resolves with how the leave went (null: no meeting). */
  async function teardown(): Promise<LeaveOutcome | null> {
    for (const cleanup of cleanups.splice(0)) cleanup();
    await recorder?.stop().catch(() => undefined);
    recorder = null;
    whiteboard?.destroy();
    whiteboard = null;
    let outcome: LeaveOutcome | null = null;
    if (meeting) {
      const leaving = meeting.leave();
      // The connections close at once; camera and microphone go off before the server answers.
      await meeting.disconnect();
      local.stop();
      outcome = await leaving;
    }
    handle.meeting = undefined;
    local.stop();
    return outcome;
  }

  const page = h("div", { class: "room-page" });
  root.appendChild(page);

  // ------------------------------------------------------------------ lobby

  async function showLobby(): Promise<void> {
    clear(page);
    const preview = h("video", { autoplay: true, playsInline: true, muted: true, class: "mirror lobby-video" });
    preview.muted = true;
    const micButton = h("button", { class: "btn-round", type: "button" });
    const camButton = h("button", { class: "btn-round", type: "button" });
    const problems = h("p", { class: "muted small", role: "status" });
    const joinButton = h("button", { class: "btn btn-primary btn-large", type: "button" }, "Join now");
    const audioSelect = h("select", { id: "lobby-mic", "aria-label": "Microphone" });
    const videoSelect = h("select", { id: "lobby-cam", "aria-label": "Camera" });
    const refresh = () => {
      preview.srcObject = local.cameraTrack ? new MediaStream([local.cameraTrack]) : null;
      setToggle(micButton, local.micOn, "mic", "micOff", "microphone");
      setToggle(camButton, local.camOn, "cam", "camOff", "camera");
      problems.textContent = [local.audioProblem, local.videoProblem].filter(Boolean).join(" ");
    };
    micButton.addEventListener("click", () => void local.setMic(!local.micOn));
    camButton.addEventListener("click", () => void local.setCam(!local.camOn));
    cleanups.push(local.on("change", refresh));
    audioSelect.addEventListener("change", () => void local.selectDevice("audioinput", audioSelect.value));
    videoSelect.addEventListener("change", () => void local.selectDevice("videoinput", videoSelect.value));
    joinButton.addEventListener("click", () => void join());
    page.appendChild(
      h(
        "main",
        { class: "lobby", "aria-labelledby": "lobby-title" },
        h(
          "div",
          { class: "lobby-preview" },
          preview,
          h("div", { class: "lobby-avatar", "aria-hidden": "true" }, initials(myName)),
          h("div", { class: "lobby-toggles" }, micButton, camButton),
        ),
        h(
          "div",
          { class: "lobby-side" },
          h("h1", { id: "lobby-title" }, "Ready to join?"),
          h("p", { class: "meeting-code-display" }, meetingId),
          h("p", { class: "muted" }, `Joining as ${myName}`),
          h("div", { class: "field" }, h("label", { for: "lobby-mic" }, "Microphone"), audioSelect),
          h("div", { class: "field" }, h("label", { for: "lobby-cam" }, "Camera"), videoSelect),
          problems,
          joinButton,
          h("a", { href: "/", "data-link": true, class: "btn btn-ghost" }, "Back to home"),
        ),
      ),
    );
    await local.start();
    if (destroyed) return;
    refresh();
    await fillDeviceSelects(audioSelect, videoSelect);
    joinButton.focus();
  }

  async function fillDeviceSelects(audio: HTMLSelectElement, video: HTMLSelectElement): Promise<void> {
    const devices = await listDevices();
    for (const [select, kind, current] of [
      [audio, "audioinput", local.audioTrack?.getSettings().deviceId],
      [video, "videoinput", local.cameraTrack?.getSettings().deviceId],
    ] as const) {
      clear(select);
      const matching = devices.filter((d) => d.kind === kind);
      if (!matching.length) select.appendChild(h("option", { value: "" }, "None found"));
      matching.forEach((device, i) =>
        select.appendChild(
          h(
            "option",
            { value: device.deviceId, selected: device.deviceId === current },
            device.label || `${kind === "audioinput" ? "Microphone" : "Camera"} ${i + 1}`,
          ),
        ),
      );
    }
  }

  // ------------------------------------------------------------------- join

  async function join(password = takePassword(meetingId), passwordError?: string): Promise<void> {
    if (passwordError === undefined) {
      clear(page);
      page.appendChild(h("div", { class: "center-page" }, h("p", { class: "muted", role: "status" }, "Joining…")));
    }
    if (!local.audioTrack && !local.cameraTrack) await local.start();
    meeting ??= new Meeting(meetingId, user.uid, myName, local);
    try {
      await meeting.join(password);
    } catch (error) {
      if (destroyed) return;
      return joinFailed(error, password);
    }
    if (destroyed) {
      await meeting.leave();
      return;
    }
    keepPassword(meetingId, password);
    rememberMeeting(meetingId, meeting.title);
    handle.meeting = meeting;
    showRoom(meeting);
  }

  function joinFailed(error: unknown, password: string | undefined): void {
    const code = errorCode(error);
    const reason = errorReason(error);
    if (code === "permission-denied" && (reason === "password-required" || reason === "wrong-password")) {
      keepPassword(meetingId, undefined);
      showPasswordPrompt(reason === "wrong-password" && password ? "That password is not right." : "");
      return;
    }
    let message: string;
    if (code === "resource-exhausted" && reason === "too-many-attempts") {
      const wait = Number(errorDetails(error).retryAfterSeconds) || 900;
      message = `Too many wrong passwords. Try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? "s" : ""}.`;
    } else if (code === "resource-exhausted" && reason === "meeting-full") {
      message = "This meeting is full.";
    } else if (code === "failed-precondition" && reason === "meeting-ended") {
      message = "This meeting has ended.";
    } else if (code === "not-found") {
      message = `There is no meeting ${meetingId}. Check the code.`;
    } else if (code === "invalid-argument") {
      message = "That is not a valid meeting code.";
    } else if (code === "unauthenticated") {
      message = "Your sign-in has expired. Sign in again.";
    } else {
      message = "Could not reach the meeting service. Check your connection and try again.";
    }
    showMessage("Can't join", message, true);
  }

  function showPasswordPrompt(errorText: string): void {
    clear(page);
    const input = h("input", { id: "join-password", type: "password", autocomplete: "current-password", required: true, maxlength: 128 });
    const error = h("p", { class: "form-error", role: "alert", hidden: !errorText }, errorText);
    const submit = h("button", { class: "btn btn-primary", type: "submit" }, "Join");
    const form = h(
      "form",
      { class: "card narrow", "aria-labelledby": "password-title" },
      h("h1", { id: "password-title" }, icon("lock"), " This meeting has a password"),
      h("p", { class: "meeting-code-display" }, meetingId),
      h("div", { class: "field" }, h("label", { for: "join-password" }, "Meeting password"), input),
      error,
      h("div", { class: "row" }, submit, h("a", { href: "/", "data-link": true, class: "btn btn-ghost" }, "Cancel")),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!input.value) return;
      submit.disabled = true;
      void join(input.value, "");
    });
    page.appendChild(h("div", { class: "center-page" }, form));
    input.focus();
  }

  function showMessage(title: string, message: string, canRetry: boolean): void {
    clear(page);
    const retry = h("button", { class: "btn btn-primary", type: "button", onclick: () => void join() }, "Try again");
    page.appendChild(
      h(
        "div",
        { class: "center-page" },
        h(
          "div",
          { class: "card narrow", role: "alert" },
          h("h1", null, title),
          h("p", null, message),
          h("div", { class: "row" }, canRetry ? retry : null, h("a", { href: "/", "data-link": true, class: "btn btn-ghost" }, "Home")),
        ),
      ),
    );
  }

  // ------------------------------------------------------------------- room

  function showRoom(m: Meeting): void {
    clear(page);
    for (const cleanup of cleanups.splice(0)) cleanup();
    const tiles = new Map<string, Tile>();
    const grid = h("div", { class: "grid", role: "list", "aria-label": "Participants' video" });
    const stage = h("section", { class: "stage", "aria-label": "Meeting stage" });
    const boardHost = h("div", { class: "board-host", hidden: true });
    stage.append(boardHost, grid);
    const status = h("p", { class: "room-status", role: "status", "aria-live": "polite" });
    const count = h("span", { class: "count" });
    const recBanner = h("span", { class: "rec-banner", hidden: true, role: "status" });
    const titleText = m.title || "Meeting";
    document.title = `${titleText} · AVMeets`;

    const copyButton = h(
      "button",
      { class: "btn btn-ghost btn-small", type: "button", "aria-label": "Copy the meeting link" },
      icon("copy"),
      h("span", { class: "code" }, meetingId),
    );
    copyButton.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(meetingLink(meetingId));
        toast("Meeting link copied");
      } catch {
        toast(meetingLink(meetingId));
      }
    });

    const top = h(
      "header",
      { class: "room-top" },
      h("a", { class: "brand", href: "/", "aria-label": "AVMeets home", onclick: (e: Event) => e.preventDefault() }, icon("cam")),
      h("h1", { class: "room-title" }, titleText),
      copyButton,
      recBanner,
      h("span", { class: "spacer" }),
      status,
      h("span", { class: "e2e", title: "Media and data go directly between browsers, encrypted with DTLS" }, icon("lock"), "Peer-to-peer"),
      count,
    );

    // ------------------------------------------------------------- side panel

    const panel = h("aside", { class: "side-panel", hidden: true, "aria-labelledby": "panel-title" });
    const panelTitle = h("h2", { id: "panel-title" });
    const panelBody = h("div", { class: "panel-body" });
    const closePanel = h("button", { class: "btn-icon btn-ghost", type: "button", "aria-label": "Close the panel" }, icon("close"));
    panel.append(h("div", { class: "panel-head" }, panelTitle, closePanel), panelBody);
    let openPanel: Panel | null = null;
    closePanel.addEventListener("click", () => setPanel(null));

    // People
    const peopleList = h("ul", { class: "people-list" });
    // Chat
    const chatLog = h("ol", { class: "chat-log", role: "log", "aria-live": "polite", "aria-label": "Chat messages" });
    const chatTo = h("select", { id: "chat-to", "aria-label": "Send the message to" });
    const chatInput = h("textarea", { id: "chat-input", rows: 2, maxlength: 4000, placeholder: "Message", "aria-label": "Message" });
    const chatSend = h("button", { class: "btn btn-primary", type: "submit", "aria-label": "Send message" }, icon("send"));
    const chatForm = h(
      "form",
      { class: "chat-form" },
      h("div", { class: "field inline" }, h("label", { for: "chat-to" }, "To"), chatTo),
      h("div", { class: "chat-compose" }, chatInput, chatSend),
    );
    const chatPane = h(
      "div",
      { class: "pane chat-pane" },
      h("p", { class: "muted small" }, "Messages go straight to the others' browsers and are not stored anywhere."),
      chatLog,
      chatForm,
    );
    // Files
    const filesTo = h("select", { id: "files-to", "aria-label": "Send the file to" });
    const fileInput = h("input", { id: "file-input", type: "file", class: "visually-hidden" });
    const fileList = h("ul", { class: "file-list", "aria-live": "polite" });
    const filesPane = h(
      "div",
      { class: "pane files-pane" },
      h("p", { class: "muted small" }, "Files go directly to the others' browsers, never to a server."),
      h("div", { class: "field inline" }, h("label", { for: "files-to" }, "To"), filesTo),
      h("label", { for: "file-input", class: "btn btn-secondary file-pick", tabindex: "0", role: "button" }, icon("file"), "Choose a file to send"),
      fileInput,
      fileList,
    );
    // Recordings
    const recordingsPane = h("div", { class: "pane recordings-pane" });

    const panes: Record<Panel, [string, HTMLElement]> = {
      people: ["People", h("div", { class: "pane" }, peopleList)],
      chat: ["Chat", chatPane],
      files: ["Files", filesPane],
      recordings: ["Recordings", recordingsPane],
    };

    // ---------------------------------------------------------------- controls

    const micButton = h("button", { class: "btn-round", type: "button", "aria-keyshortcuts": "Control+D" });
    const camButton = h("button", { class: "btn-round", type: "button", "aria-keyshortcuts": "Control+E" });
    const screenButton = h("button", { class: "btn-round", type: "button", "aria-label": "Share your screen", "aria-pressed": "false" }, icon("screen"));
    const boardButton = h("button", { class: "btn-round", type: "button", "aria-label": "Whiteboard", "aria-pressed": "false" }, icon("board"));
    const recordButton = h("button", { class: "btn-round", type: "button", "aria-label": "Record to this browser", "aria-pressed": "false" }, icon("record"));
    const settingsButton = h("button", { class: "btn-round", type: "button", "aria-label": "Devices" }, icon("settings"));
    const panelButton = (name: Panel, label: string, ic: Parameters<typeof icon>[0]) => {
      const badge = h("span", { class: "unread", hidden: true });
      const button = h("button", { class: "btn-round", type: "button", "aria-label": label, "aria-pressed": "false", dataset: { panel: name } }, icon(ic), badge);
      button.addEventListener("click", () => setPanel(openPanel === name ? null : name));
      return { button, badge };
    };
    const people = panelButton("people", "People", "people");
    const chat = panelButton("chat", "Chat", "chat");
    const files = panelButton("files", "Files", "file");
    const recordings = panelButton("recordings", "Recordings", "library");
    const leaveButton = h("button", { class: "btn-round btn-leave", type: "button", "aria-label": "Leave the meeting" }, icon("leave"));

    const controls = h(
      "footer",
      { class: "controls", "aria-label": "Meeting controls" },
      h("div", { class: "controls-group" }, micButton, camButton, screenButton, settingsButton),
      h("div", { class: "controls-group" }, boardButton, recordButton),
      h("div", { class: "controls-group" }, people.button, chat.button, files.button, recordings.button),
      h("div", { class: "controls-group" }, leaveButton),
    );

    // Hover tooltips follow the accessible names of the round buttons.
    const syncTitles = () => {
      for (const button of controls.querySelectorAll<HTMLButtonElement>(".btn-round")) {
        button.title = button.getAttribute("aria-label") ?? "";
      }
    };
    const titleObserver = new MutationObserver(syncTitles);
    titleObserver.observe(controls, { subtree: true, attributes: true, attributeFilter: ["aria-label"] });
    cleanups.push(() => titleObserver.disconnect());
    syncTitles();

    const soundBanner = h(
      "button",
      { class: "sound-banner", type: "button", hidden: true },
      "Click to hear the others",
    );
    soundBanner.addEventListener("click", () => {
      for (const tile of tiles.values()) {
        if (!tile.isLocal) {
          tile.video.muted = false;
          tile.play();
        }
      }
      soundBanner.hidden = true;
    });
    const onNeedsGesture = () => (soundBanner.hidden = false);
    document.addEventListener("avmeets:needs-gesture", onNeedsGesture);
    cleanups.push(() => document.removeEventListener("avmeets:needs-gesture", onNeedsGesture));

    const body = h("div", { class: "room-body" }, stage, panel);
    page.append(h("div", { class: "room", dataset: { meetingId } }, top, body, controls, soundBanner));

    // ------------------------------------------------------------------ logic

    function setPanel(name: Panel | null): void {
      openPanel = name;
      for (const b of [people, chat, files, recordings]) {
        b.button.setAttribute("aria-pressed", String(b.button.dataset.panel === name));
      }
      panel.hidden = !name;
      page.querySelector(".room")?.classList.toggle("panel-open", !!name);
      clear(panelBody);
      if (!name) return;
      const [title, pane] = panes[name];
      panelTitle.textContent = title;
      panelBody.appendChild(pane);
      if (name === "chat") {
        chat.badge.hidden = true;
        chat.badge.textContent = "";
        chatLog.scrollTop = chatLog.scrollHeight;
        chatInput.focus();
      }
      if (name === "files") files.badge.hidden = true;
      if (name === "recordings") void renderRecordings();
    }

    function tileFor(uid: string): Tile {
      let tile = tiles.get(uid);
      if (!tile) {
        tile = new Tile(uid, uid === m.myUid, showSafety);
        tile.el.setAttribute("role", "listitem");
        tiles.set(uid, tile);
        grid.appendChild(tile.el);
      }
      return tile;
    }

    let selfTrack: MediaStreamTrack | null = null;
    let selfStream: MediaStream | null = null;

    function refreshTiles(): void {
      const present = new Set<string>([m.myUid]);
      for (const [uid, p] of m.participants) if (p.state === "joined") present.add(uid);
      for (const uid of m.links.keys()) present.add(uid);
      for (const [uid, tile] of tiles) {
        if (!present.has(uid)) {
          tile.el.remove();
          tiles.delete(uid);
        }
      }
      const self = tileFor(m.myUid);
      const outgoing = local.outgoingVideo;
      if (outgoing !== selfTrack) {
        selfTrack = outgoing;
        selfStream = outgoing ? new MediaStream([outgoing]) : null;
      }
      self.setStream(selfStream);
      self.update({
        name: `${myName} (you)`,
        state: "self",
        stateText: local.sharing ? "Presenting" : "",
        audio: local.micOn,
        video: !!local.outgoingVideo,
        screen: local.sharing,
        recording: !!recorder,
        safetyCode: null,
      });
      for (const uid of present) if (uid !== m.myUid) refreshTile(uid);
      const n = tiles.size;
      grid.dataset.count = String(n);
      layoutGrid();
      count.textContent = `${n} ${n === 1 ? "person" : "people"}`;
      refreshPeople();
      refreshTargets();
      const recorders = [...m.links.values()].filter((l) => l.remoteMedia.recording).map((l) => m.displayName(l.uid));
      if (recorder) recorders.unshift("You");
      recBanner.hidden = !recorders.length;
      recBanner.textContent = recorders.length ? `● ${recorders.join(", ")} recording` : "";
      updateRecordingClock();
    }

    const recClock = h("span", { class: "rec-clock", hidden: true, "aria-hidden": "true" });
    top.insertBefore(recClock, recBanner.nextSibling);
    function updateRecordingClock(): void {
      recClock.hidden = !recorder;
      if (!recorder) {
        delete recClock.dataset.bytes;
        return;
      }
      recClock.dataset.bytes = String(recorder.bytes);
      recClock.textContent = `${formatDuration(Date.now() - recorder.startedAt)} · ${formatBytes(recorder.bytes)}`;
    }
    const clockTimer = setInterval(updateRecordingClock, 1000);
    cleanups.push(() => clearInterval(clockTimer));

    /** The largest 16:9 tile size with which all tiles fit the stage. */
    function layoutGrid(): void {
      const n = Math.max(1, tiles.size);
      const gap = 12;
      const width = grid.clientWidth;
      const height = grid.clientHeight;
      if (!width || !height) return;
      let best = 0;
      for (let cols = 1; cols <= n; cols++) {
        const rows = Math.ceil(n / cols);
        const w = Math.min((width - gap * (cols - 1)) / cols, ((height - gap * (rows - 1)) / rows) * (16 / 9));
        if (w > best) best = w;
      }
      grid.style.setProperty("--tile-w", `${Math.floor(Math.max(120, best))}px`);
    }
    const gridObserver = new ResizeObserver(() => layoutGrid());
    gridObserver.observe(grid);
    cleanups.push(() => gridObserver.disconnect());

    function refreshTile(uid: string): void {
      const link = m.links.get(uid);
      const tile = tileFor(uid);
      tile.setStream(link ? link.remoteStream : null);
      const { state, text } = stateLabel(link);
      const videoTrack = link?.remoteStream.getVideoTracks()[0];
      const hasVideo = !!videoTrack && !videoTrack.muted && (link?.remoteMedia.video ?? false);
      tile.update({
        name: m.displayName(uid),
        state,
        stateText: text,
        audio: link?.remoteMedia.audio ?? true,
        video: hasVideo,
        screen: link?.remoteMedia.screen ?? false,
        recording: link?.remoteMedia.recording ?? false,
        safetyCode: link?.safetyCode ?? null,
        path: link?.path?.stats.relayed === undefined ? "" : link.path.stats.relayed ? "relayed" : "direct",
      });
    }

    const personRows = new Map<string, { li: HTMLElement; name: HTMLElement; details: HTMLElement; code: HTMLElement }>();

    /** Rows are kept and updated in place, so focus and screen-reader position survive updates. */
    function refreshPeople(): void {
      const uids = [m.myUid, ...[...tiles.keys()].filter((u) => u !== m.myUid)];
      for (const [uid, row] of personRows) {
        if (!uids.includes(uid)) {
          row.li.remove();
          personRows.delete(uid);
        }
      }
      for (const uid of uids) {
        const isMe = uid === m.myUid;
        let row = personRows.get(uid);
        if (!row) {
          const name = h("span", { class: "person-name" });
          const details = h("span", { class: "muted small" });
          const code = h("span", { class: "safety-code", title: "Compare this code with theirs", hidden: true });
          const li = h(
            "li",
            { dataset: { uid } },
            h("span", { class: "person-avatar", style: `--hue:${hue(uid)}`, "aria-hidden": "true" }, initials(m.displayName(uid))),
            h("div", { class: "person-main" }, name, details, code),
            isMe
              ? null
              : h(
                  "button",
                  {
                    class: "btn btn-ghost btn-small",
                    type: "button",
                    onclick: () => {
                      chatTo.value = uid;
                      setPanel("chat");
                    },
                  },
                  "Message",
                ),
          );
          row = { li, name, details, code };
          personRows.set(uid, row);
        }
        peopleList.appendChild(row.li); // keeps the order; a no-op move for rows in place
        const link = m.links.get(uid);
        const stats = link?.path?.stats;
        const details = [
          isMe ? "You" : stateLabel(link).text,
          stats?.rttMs !== undefined ? `${Math.round(stats.rttMs)} ms` : "",
          stats?.localCandidateType ? `${stats.localCandidateType}→${stats.remoteCandidateType ?? "?"} ${stats.protocol ?? ""}` : "",
        ].filter(Boolean);
        row.name.textContent = m.displayName(uid) + (isMe ? " (you)" : "");
        row.details.textContent = details.join(" · ");
        row.code.hidden = !link?.safetyCode;
        if (link?.safetyCode && row.code.dataset.safetyCode !== link.safetyCode) {
          row.code.dataset.safetyCode = link.safetyCode;
          clear(row.code);
          append(row.code, icon("shield"), " ", link.safetyCode);
        }
      }
    }

    let targetsKey = "";
    function refreshTargets(): void {
      const key = [...tiles.keys()].map((uid) => `${uid}=${m.displayName(uid)}`).join("|");
      if (key === targetsKey) return;
      targetsKey = key;
      for (const select of [chatTo, filesTo]) {
        const current = select.value;
        clear(select);
        select.appendChild(h("option", { value: "" }, "Everyone"));
        for (const uid of tiles.keys()) {
          if (uid === m.myUid) continue;
          select.appendChild(h("option", { value: uid }, `${m.displayName(uid)} (privately)`));
        }
        select.value = [...select.options].some((o) => o.value === current) ? current : "";
      }
    }

    function showSafety(uid: string): void {
      const link = m.links.get(uid);
      if (!link?.safetyCode) return;
      const dialog = h(
        "dialog",
        { class: "dialog", "aria-labelledby": "safety-title" },
        h("h2", { id: "safety-title" }, icon("shield"), ` Safety code with ${m.displayName(uid)}`),
        h("p", { class: "safety-big", dataset: { safetyCode: link.safetyCode } }, link.safetyCode),
        h(
          "p",
          null,
          `Ask ${m.displayName(uid)} to read the code on their screen. If it is the same, your connection is encrypted end to end `,
          "and nobody sits in the middle. If it differs, leave the meeting.",
        ),
        h("form", { method: "dialog" }, h("button", { class: "btn btn-primary", type: "submit" }, "Close")),
      );
      dialog.addEventListener("close", () => dialog.remove());
      document.body.appendChild(dialog);
      dialog.showModal();
    }

    function renderChat(message: ChatMessage): void {
      const to = message.private
        ? message.mine
          ? ` → ${m.displayName(message.toUid ?? "")} (private)`
          : " → you (private)"
        : "";
      chatLog.appendChild(
        h(
          "li",
          { class: `chat-message${message.mine ? " mine" : ""}${message.private ? " private" : ""}`, dataset: { from: message.fromUid } },
          h(
            "div",
            { class: "chat-meta" },
            h("span", { class: "chat-from" }, message.mine ? "You" : message.fromName),
            h("span", { class: "chat-to" }, to),
            h("time", { datetime: new Date(message.at).toISOString() }, new Date(message.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })),
          ),
          h("p", { class: "chat-text" }, message.text),
        ),
      );
      chatLog.scrollTop = chatLog.scrollHeight;
      if (openPanel !== "chat" && !message.mine) {
        const n = Number(chat.badge.textContent || "0") + 1;
        chat.badge.textContent = String(n);
        chat.badge.hidden = false;
        toast(`${message.fromName}: ${message.text.slice(0, 80)}`);
      }
    }

    const transferRows = new Map<string, { row: HTMLElement; progress: HTMLProgressElement; info: HTMLElement; action: HTMLElement }>();
    function renderTransfer(t: Transfer): void {
      let entry = transferRows.get(t.id);
      if (!entry) {
        const progress = h("progress", { max: t.size || 1, value: 0, "aria-label": `Progress of ${t.name}` });
        const info = h("span", { class: "muted small" });
        const action = h("span", { class: "file-action" });
        const who = m.displayName(t.peerUid);
        const row = h(
          "li",
          { class: "file-row", dataset: { transferId: t.id, direction: t.direction } },
          h("div", { class: "file-name" }, icon("file"), h("span", null, t.name)),
          h("div", { class: "muted small" }, t.direction === "out" ? `to ${who}${t.private ? " (private)" : ""}` : `from ${who}${t.private ? " (private)" : ""}`),
          progress,
          h("div", { class: "file-foot" }, info, action),
        );
        entry = { row, progress, info, action };
        transferRows.set(t.id, entry);
        fileList.prepend(row);
        if (t.direction === "in" && openPanel !== "files") {
          files.badge.hidden = false;
          toast(`${who} is sending you ${t.name}`);
        }
      }
      entry.row.dataset.status = t.status;
      entry.progress.max = t.size || 1;
      entry.progress.value = t.size ? t.bytes : 1;
      const pct = t.size ? Math.floor((100 * t.bytes) / t.size) : 100;
      const label: Record<string, string> = {
        queued: "Waiting…",
        sending: `${pct}% · ${formatBytes(t.bytes)} of ${formatBytes(t.size)}`,
        receiving: `${pct}% · ${formatBytes(t.bytes)} of ${formatBytes(t.size)}`,
        done: `${formatBytes(t.size)} · ${t.direction === "out" ? "sent" : "received"}`,
        failed: `Failed${t.error ? `: ${t.error}` : ""}`,
        cancelled: "Cancelled",
      };
      entry.info.textContent = label[t.status] ?? t.status;
      clear(entry.action);
      if (t.direction === "in" && t.status === "done" && t.url) {
        entry.action.appendChild(
          h("a", { class: "btn btn-secondary btn-small", href: t.url, download: t.name, dataset: { download: t.id } }, icon("download"), "Save"),
        );
      } else if (t.direction === "out" && (t.status === "sending" || t.status === "queued")) {
        entry.action.appendChild(
          h("button", { class: "btn btn-ghost btn-small", type: "button", onclick: () => m.files.cancel(t.id) }, "Cancel"),
        );
      }
    }

    async function renderRecordings(): Promise<void> {
      clear(recordingsPane);
      recordingsPane.appendChild(
        h("p", { class: "muted small" }, "Recordings are saved in this browser only and never uploaded."),
      );
      const list = h("div");
      recordingsPane.appendChild(list);
      try {
        const { renderRecordingList } = await import("./recordings");
        renderRecordingList(list);
      } catch {
        list.textContent = "The recordings could not be loaded.";
      }
    }

    let activityTimer: ReturnType<typeof setTimeout> | undefined;
    cleanups.push(() => clearTimeout(activityTimer));

    async function toggleWhiteboard(): Promise<void> {
      if (whiteboard) {
        whiteboard.destroy();
        whiteboard = null;
        boardHost.hidden = true;
        stage.classList.remove("with-board");
        boardButton.setAttribute("aria-pressed", "false");
        return;
      }
      boardButton.disabled = true;
      try {
        const { mountWhiteboard } = await import("./whiteboard");
        boardHost.hidden = false;
        stage.classList.add("with-board");
        whiteboard = mountWhiteboard(boardHost, m.board);
        boardButton.setAttribute("aria-pressed", "true");
        status.textContent = "";
      } catch (error) {
        console.warn("whiteboard failed to load", error);
        toast("The whiteboard could not be loaded.", "error");
      } finally {
        boardButton.disabled = false;
      }
    }

    async function toggleRecording(): Promise<void> {
      recordButton.disabled = true;
      try {
        if (recorder) {
          const r = recorder;
          recorder = null;
          await r.stop();
          m.setRecording(false);
          toast("Recording saved in this browser");
          if (openPanel === "recordings") void renderRecordings();
        } else {
          const { startRecording } = await import("./recorder");
          recorder = await startRecording({
            meetingId,
            title: m.title,
            sources: () =>
              [...tiles.values()].map((tile) => ({
                uid: tile.uid,
                name: tile.isLocal ? myName : m.displayName(tile.uid),
                video: tile.video,
                audio: tile.isLocal ? local.audioTrack : m.links.get(tile.uid)?.remoteStream.getAudioTracks()[0] ?? null,
              })),
          });
          m.setRecording(true);
          toast("Recording to this browser");
        }
      } catch (error) {
        console.warn("recording failed", error);
        toast(`Recording is not possible: ${(error as Error).message}`, "error");
        recorder = null;
        m.setRecording(false);
      } finally {
        recordButton.disabled = false;
        recordButton.setAttribute("aria-pressed", String(!!recorder));
        recordButton.classList.toggle("active-rec", !!recorder);
        recordButton.setAttribute("aria-label", recorder ? "Stop recording" : "Record to this browser");
        refreshTiles();
      }
    }

    function refreshControls(): void {
      setToggle(micButton, local.micOn, "mic", "micOff", "microphone");
      setToggle(camButton, local.camOn, "cam", "camOff", "camera");
      screenButton.setAttribute("aria-pressed", String(local.sharing));
      screenButton.setAttribute("aria-label", local.sharing ? "Stop sharing your screen" : "Share your screen");
      screenButton.classList.toggle("active", local.sharing);
    }

    async function showSettings(): Promise<void> {
      const audio = h("select", { id: "settings-mic" });
      const video = h("select", { id: "settings-cam" });
      await fillDeviceSelects(audio, video);
      audio.addEventListener("change", () => void local.selectDevice("audioinput", audio.value));
      video.addEventListener("change", () => void local.selectDevice("videoinput", video.value));
      const dialog = h(
        "dialog",
        { class: "dialog", "aria-labelledby": "settings-title" },
        h("h2", { id: "settings-title" }, "Devices"),
        h("div", { class: "field" }, h("label", { for: "settings-mic" }, "Microphone"), audio),
        h("div", { class: "field" }, h("label", { for: "settings-cam" }, "Camera"), video),
        h("form", { method: "dialog" }, h("button", { class: "btn btn-primary", type: "submit" }, "Done")),
      );
      dialog.addEventListener("close", () => dialog.remove());
      document.body.appendChild(dialog);
      dialog.showModal();
    }

    async function leave(): Promise<void> {
      leaveButton.disabled = true;
      const done = teardown();
      showLeaving();
      const outcome = await done;
      meeting = null;
      if (destroyed) return;
      if (outcome === "unconfirmed") {
        // The server could not be told: it closes the silent session out after the heartbeat
        // timeout, and until then the others still list us. Say so; never claim a clean leave.
        showLeft(
          "You left; the others may still see you for a minute or two",
          "Your connections are closed, but the meeting service could not be reached to say so. " +
            "It removes a participant that has gone silent by itself.",
        );
      } else {
        showLeft("You left the meeting");
      }
    }

    function showLeaving(): void {
      document.title = "Leaving… · AVMeets";
      clear(page);
      page.appendChild(
        h("div", { class: "center-page" }, h("p", { class: "muted", role: "status" }, "Leaving…")),
      );
    }

    function showLeft(message: string, detail?: string): void {
      document.title = "AVMeets";
      clear(page);
      page.appendChild(
        h(
          "div",
          { class: "center-page" },
          h(
            "div",
            { class: "card narrow", role: detail ? "alert" : null },
            h("h1", null, message),
            detail ? h("p", { class: "leave-detail" }, detail) : null,
            h("p", { class: "meeting-code-display" }, meetingId),
            h(
              "div",
              { class: "row" },
              h("button", { class: "btn btn-primary", type: "button", onclick: () => void showLobby() }, "Rejoin"),
              h("button", { class: "btn btn-ghost", type: "button", onclick: () => navigate("/") }, "Home"),
            ),
          ),
        ),
      );
    }

    micButton.addEventListener("click", () => void local.setMic(!local.micOn));
    camButton.addEventListener("click", () => void local.setCam(!local.camOn));
    screenButton.addEventListener("click", () => void (local.sharing ? local.stopScreenShare() : local.startScreenShare()));
    boardButton.addEventListener("click", () => void toggleWhiteboard());
    recordButton.addEventListener("click", () => void toggleRecording());
    settingsButton.addEventListener("click", () => void showSettings());
    leaveButton.addEventListener("click", () => void leave());
    chatForm.addEventListener("submit", (event) => {
      event.preventDefault();
      if (m.sendChat(chatInput.value, chatTo.value || null)) chatInput.value = "";
      chatInput.focus();
    });
    chatInput.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        chatForm.requestSubmit();
      }
    });
    fileInput.addEventListener("change", () => {
      const file = fileInput.files?.[0];
      if (!file) return;
      const sent = m.files.send(file, filesTo.value || null);
      if (!sent.length) toast("Nobody is connected to receive the file yet.", "error");
      fileInput.value = "";
    });
    filesPane.querySelector(".file-pick")?.addEventListener("keydown", (event) => {
      const key = (event as KeyboardEvent).key;
      if (key === "Enter" || key === " ") {
        event.preventDefault();
        fileInput.click();
      }
    });
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && openPanel && !document.querySelector("dialog[open]")) setPanel(null);
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
        if (event.key.toLowerCase() === "d") {
          event.preventDefault();
          void local.setMic(!local.micOn);
        } else if (event.key.toLowerCase() === "e") {
          event.preventDefault();
          void local.setCam(!local.camOn);
        }
      }
    };
    document.addEventListener("keydown", onKey);
    cleanups.push(() => document.removeEventListener("keydown", onKey));

    cleanups.push(
      m.on("participants", refreshTiles),
      m.on("link", (link) => {
        if (tiles.has(link.uid) || m.links.has(link.uid)) refreshTile(link.uid);
        refreshTiles();
      }),
      m.on("chat", renderChat),
      m.on("status", (text) => (status.textContent = text)),
      m.on("notice", (text) => toast(text)),
      m.on("ended", ({ message }) => {
        void teardown().then(() => {
          meeting = null;
          showLeft(message);
        });
      }),
      m.files.on("transfer", renderTransfer),
      m.board.on("activity", (text) => {
        if (whiteboard) return;
        status.textContent = `${text} — open the whiteboard to see it`;
        clearTimeout(activityTimer);
        activityTimer = setTimeout(() => (status.textContent = ""), 6000);
      }),
      local.on("change", () => {
        refreshControls();
        refreshTiles();
      }),
      local.on("error", (text) => toast(text, "error")),
    );
    for (const message of m.chat) renderChat(message);
    for (const t of m.files.transfers) renderTransfer(t);
    refreshControls();
    refreshTiles();
    micButton.focus();
  }

  function setToggle(button: HTMLButtonElement, on: boolean, onIcon: "mic" | "cam", offIcon: "micOff" | "camOff", what: string): void {
    clear(button);
    append(button, icon(on ? onIcon : offIcon));
    button.classList.toggle("off", !on);
    button.setAttribute("aria-label", on ? `Turn off the ${what}` : `Turn on the ${what}`);
    button.title = on ? `Turn off the ${what}` : `Turn on the ${what}`;
  }

  // A reload of the meeting page re-joins at once; a fresh visit shows the lobby first.
  if (activeMeeting() === meetingId) void join();
  else void showLobby();
  return handle;
}
