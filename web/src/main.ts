/** Entry point: picks the page for the location (sign-in, home, a meeting room, lazy-loaded). */
import "./styles.css";
import { GoogleAuthProvider, onAuthStateChanged, signInWithCredential, type User } from "firebase/auth";
import { auth, startAnalyticsIfConfigured } from "./firebase";
import { useEmulators } from "./config";
import { parseMeetingId } from "./recent";
import { h } from "./ui/dom";
import { renderSignIn } from "./signin";
import { renderHome } from "./home";
import { currentView, render, startRouter, type View } from "./core/router/router";

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
  // Test hook (emulator builds only): sign in as a Google user without the popup. The Auth
  // emulator accepts an unsigned JSON ID token; the real flow (signInWithPopup) is in signin.ts.
  (window as unknown as Record<string, unknown>).__avmeets = {
    async signIn(name: string, email: string): Promise<string> {
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(email)));
      const sub = Array.from(digest.slice(0, 8), (b) => b.toString().padStart(3, "0")).join("").slice(0, 21);
      const token = JSON.stringify({ sub, email, email_verified: true, name });
      const result = await signInWithCredential(auth, GoogleAuthProvider.credential(token));
      return result.user.uid;
    },
    currentView,
  };
}

void boot();
