/** Entry point: routes between sign-in, home and a meeting room (lazy-loaded). */
import "./styles.css";
import { onAuthStateChanged, type User } from "firebase/auth";
import { auth, startAnalyticsIfConfigured } from "./firebase";
import { useEmulators } from "./config";
import { parseMeetingId } from "./recent";
import { clear, h } from "./ui/dom";
import { renderSignIn } from "./signin";
import { renderHome } from "./home";
import { signInAsTestUser } from "./auth/testUser";

export interface View {
  /** Called before another view replaces this one (the room leaves the meeting). */
  destroy?(): void | Promise<void>;
}

export interface RoomHandle extends View {
  meeting?: unknown;
}

const root = document.getElementById("app") as HTMLElement;
let current: View | null = null;
let renderToken = 0;

export function navigate(path: string, replace = false): void {
  if (path !== location.pathname) {
    if (replace) history.replaceState(null, "", path);
    else history.pushState(null, "", path);
  }
  void render();
}

function roomIdFromPath(): string | null | undefined {
  const match = /^\/m\/([^/]+)\/?$/.exec(location.pathname);
  if (!match) return undefined;
  return parseMeetingId(decodeURIComponent(match[1]));
}

async function render(): Promise<void> {
  const token = ++renderToken;
  const previous = current;
  current = null;
  if (previous?.destroy) await previous.destroy();
  if (token !== renderToken) return;
  clear(root);
  root.setAttribute("aria-busy", "true");
  const user = auth.currentUser;
  let roomId = roomIdFromPath();
  let notice: string | undefined;
  if (roomId === null) {
    history.replaceState(null, "", "/");
    roomId = undefined;
    notice = "That is not a meeting link. A meeting code looks like abc-defg-hij.";
  }
  if (!user) {
    current = renderSignIn(root, roomId ?? null);
  } else if (roomId) {
    const loading = h("div", { class: "center-page" }, h("p", { class: "muted" }, "Opening the meeting…"));
    root.appendChild(loading);
    const { mountRoom } = await import("./room/roomPage");
    if (token !== renderToken) return;
    clear(root);
    current = mountRoom(root, user, roomId);
  } else {
    current = renderHome(root, user, notice);
  }
  root.setAttribute("aria-busy", "false");
}

window.addEventListener("popstate", () => void render());

// Internal links (<a data-link href="/...">) navigate without reloading the page.
document.addEventListener("click", (event) => {
  const anchor = (event.target as Element | null)?.closest?.("a[data-link]") as HTMLAnchorElement | null;
  if (!anchor || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(new URL(anchor.href).pathname);
});

let lastUid: string | null | undefined;

async function boot(): Promise<void> {
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
    currentView: () => current,
  };
}

void boot();
