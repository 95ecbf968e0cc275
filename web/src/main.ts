/** Entry point: picks the page for the location (sign-in, home, a meeting room, lazy-loaded). */
import "./styles.css";
import { onAuthStateChanged, type User } from "firebase/auth";
import { auth, startAnalyticsIfConfigured } from "./firebase";
import { useEmulators } from "./config";
import { parseMeetingId } from "./recent";
import { h } from "./ui/dom";
import { renderSignIn } from "./signin";
import { renderHome } from "./home";
import { currentView, render, startRouter, type View } from "./core/router/router";
import { signInAsTestUser } from "./auth/testUser";

function roomIdFromPath(): string | null | undefined {
  const match = /^\/m\/([^/]+)\/?$/.exec(location.pathname);
  if (!match) return undefined;
  return parseMeetingId(decodeURIComponent(match[1]));
}

async function resolve(root: HTMLElement, stale: () => boolean): Promise<View | null> {
  const user = auth.currentUser;
  let roomId = roomIdFromPath();
  let notice: string | undefined;
  if (roomId === null) {
    history.replaceState(null, "", "/");
    roomId = undefined;
    notice = "That is not a meeting link. A meeting code looks like abc-defg-hij.";
  }
  if (!user) return renderSignIn(root, roomId ?? null);
  if (!roomId) return renderHome(root, user, notice);
  root.appendChild(h("div", { class: "center-page" }, h("p", { class: "muted" }, "Opening the meeting…")));
  const { mountRoom } = await import("./features/room/roomPage");
  if (stale()) return null;
  root.replaceChildren();
  return mountRoom(root, user, roomId);
}

let lastUid: string | null | undefined;

async function boot(): Promise<void> {
  startRouter(document.getElementById("app") as HTMLElement, resolve);
  await auth.authStateReady();
  onAuthStateChanged(auth, (user: User | null) => {
    const uid = user?.uid ?? null;
    if (uid === lastUid) return;
    lastUid = uid;
    void render();
  });
  startAnalyticsIfConfigured();
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
