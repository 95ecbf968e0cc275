/** Entry point: picks the page for the location (sign-in, home, a meeting room, lazy-loaded). */
import "./styles.css";
import { onAuthStateChanged, type User } from "firebase/auth";
import { auth } from "./firebase";
import { measurementId, useEmulators } from "./config";
import { parseMeetingId } from "./recent";
import { h } from "./ui/dom";
import { renderSignIn } from "./signin";
import { renderHome } from "./home";
import { currentView, onRendered, render, startRouter, type View } from "./core/router/router";
import { startAnnouncer } from "./ui/announcer";
import { focusView } from "./ui/viewFocus";
import { signInAsTestUser } from "./auth/testUser";

function roomIdFromPath(): string | null | undefined {
  const match = /^\/m\/([^/]+)\/?$/.exec(location.pathname);
  if (!match) return undefined;
  return parseMeetingId(decodeURIComponent(match[1]));
}

/** The pages that are not a meeting: privacy (anyone), "My data" and the organisation admin (signed in). */
async function infoPage(root: HTMLElement, stale: () => boolean, user: User | null): Promise<View | null | undefined> {
  const path = location.pathname.replace(/\/+$/, "") || "/";
  if (path === "/privacy") {
    const { mountPrivacyPage } = await import("./features/privacy/PrivacyPage");
    return stale() ? null : mountPrivacyPage(root, !!user);
  }
  if (path === "/my-data") {
    const page = await import("./features/mydata/MyDataPage");
    if (stale()) return null;
    return user || page.hasDeletionResult() ? page.mountMyData(root, user) : renderSignIn(root, null);
  }
  if (path === "/admin") {
    if (!user) return renderSignIn(root, null);
    const { mountAdminPage } = await import("./features/admin/AdminPage");
    return stale() ? null : mountAdminPage(root, user);
  }
  return undefined;
}

async function resolve(root: HTMLElement, stale: () => boolean): Promise<View | null> {
  const user = auth.currentUser;
  const info = await infoPage(root, stale, user);
  if (info !== undefined) return info;
  let roomId = roomIdFromPath();
  let notice: string | undefined;
  if (roomId === null) {
    history.replaceState(null, "", "/");
    roomId = undefined;
    notice = "That is not a meeting link. A meeting code looks like abc-defg-hij.";
  }
  if (!user) return renderSignIn(root, roomId ?? null);
  if (!roomId) return renderHome(root, user, notice);
  root.appendChild(h("main", { class: "center-page" }, h("p", { class: "muted" }, "Opening the meeting…")));
  const { mountRoom } = await import("./features/room/roomPage");
  if (stale()) return null;
  root.replaceChildren();
  return mountRoom(root, user, roomId);
}

let lastUid: string | null | undefined;

async function boot(): Promise<void> {
  const app = document.getElementById("app") as HTMLElement;
  startAnnouncer();
  startRouter(app, resolve);
  onRendered(() => focusView(app));
  await auth.authStateReady();
  onAuthStateChanged(auth, (user: User | null) => {
    const uid = user?.uid ?? null;
    if (uid === lastUid) return;
    lastUid = uid;
    void render();
  });
  // Recordings in this browser go when the time the person chose is up (told the day before).
  void import("./features/recordings/sweep").then((m) => m.startRecordingSweeps()).catch(() => undefined);
  if (measurementId) {
    // Asks first; loads nothing from Google before a yes (features/analytics).
    const id = measurementId;
    void import("./features/analytics/analytics").then((m) => m.startAnalytics(id)).catch(() => undefined);
  }
}

if (useEmulators) {
  // Test hook (emulator builds only): sign in as a Google user without the popup, as the
  // "Sign in as a test user" form does (auth/testUser.ts); the real flow is in signin.ts.
  (window as unknown as Record<string, unknown>).__avmeets = {
    async signIn(name: string, email: string): Promise<string> {
      return (await signInAsTestUser(auth, name, email)).user.uid;
    },
    currentView,
  };
}

void boot();
