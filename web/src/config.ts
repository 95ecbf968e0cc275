/**
 * Run-time configuration.
 *
 * Against the Firebase Emulator Suite (served from localhost / 127.0.0.1, or built with
 * VITE_USE_EMULATORS=1) the app uses the demo project and the emulators' fixed ports, with no
 * request. Otherwise nothing about the project is built in: the Firebase config comes from
 * Hosting's reserved /__/firebase/init.json (the config of whichever project serves the app) and
 * AVMeets' own deploy-time settings (functions region, App Check site key, phone sign-in) from
 * /avmeets.json, written by `nox -s deploy` next to the build. So one build serves any project.
 *
 * Both are read once, with a top-level await: every module that imports this one (directly or
 * through firebase.ts) runs after the config is known, and this module imports nothing of the
 * app's, so the wait cannot close an import cycle.
 */
import type { FirebaseOptions } from "firebase/app";

const env = import.meta.env;

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

function servedFromLoopback(): boolean {
  return LOOPBACK_HOSTS.has(location.hostname);
}

export const useEmulators: boolean =
  env.VITE_USE_EMULATORS === "1" || (env.VITE_USE_EMULATORS !== "0" && servedFromLoopback());

export const EMULATOR_PROJECT_ID = "demo-avmeets";

export interface EmulatorAddress {
  host: string;
  port: number;
}

function address(value: unknown, fallbackPort: number): EmulatorAddress {
  const fallbackHost = env.VITE_EMULATOR_HOST || "127.0.0.1";
  const match = typeof value === "string" ? /^([\w.-]+|\[[0-9a-f:]+\]):(\d{1,5})$/i.exec(value) : null;
  return match ? { host: match[1], port: Number(match[2]) } : { host: fallbackHost, port: fallbackPort };
}

/**
 * Where the emulators listen: firebase.json's fixed ports, unless a test harness that started
 * them elsewhere says otherwise before the app loads (window.__AVMEETS_EMULATORS__ =
 * {auth: "127.0.0.1:9099", firestore: "...", functions: "..."}; honoured in emulator mode only).
 */
const override = (
  useEmulators ? (globalThis as { __AVMEETS_EMULATORS__?: Record<string, unknown> }).__AVMEETS_EMULATORS__ : undefined
) ?? {};
export const emulators = {
  auth: address(override.auth, 9099),
  firestore: address(override.firestore, 8080),
  functions: address(override.functions, 5001),
} as const;

/** Hosting's reserved URL with the serving project's Firebase web config. */
export const HOSTING_CONFIG_PATH = "/__/firebase/init.json";
/** AVMeets' deploy-time settings, written into the hosting folder by `nox -s deploy`. */
export const APP_CONFIG_PATH = "/avmeets.json";

/** The shape of /avmeets.json (tools/deploy.py `app_config`). */
export interface AppConfig {
  functionsRegion?: string;
  /** reCAPTCHA Enterprise site key: App Check is on when set. */
  appCheckSiteKey?: string;
  phoneSignIn?: boolean;
}

const EMULATOR_OPTIONS: FirebaseOptions = {
  apiKey: "fake-api-key",
  authDomain: `${emulators.auth.host}:${emulators.auth.port}`,
  projectId: EMULATOR_PROJECT_ID,
  appId: "1:000000000000:web:avmeets-emulator",
};

async function fetchJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { cache: "no-cache", credentials: "same-origin" });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

async function loadRuntimeConfig(): Promise<{ options: FirebaseOptions; app: AppConfig }> {
  if (useEmulators) {
    // Emulator builds may name an App Check site key and debug token at build time.
    return { options: EMULATOR_OPTIONS, app: { appCheckSiteKey: env.VITE_APP_CHECK_SITE_KEY } };
  }
  try {
    const [options, app] = await Promise.all([
      fetchJson<FirebaseOptions>(HOSTING_CONFIG_PATH),
      // Optional: without it, the defaults below (us-central1, no App Check).
      fetchJson<AppConfig>(APP_CONFIG_PATH).catch((): AppConfig => ({})),
    ]);
    if (!options.apiKey || !options.projectId) throw new Error(`${HOSTING_CONFIG_PATH} has no apiKey`);
    return { options, app };
  } catch (error) {
    // Nothing else can start: say so on the page instead of leaving it blank.
    const root = document.getElementById("app");
    if (root) {
      root.textContent =
        "AVMeets could not load its configuration. It must be served by Firebase Hosting, " +
        "which provides it; try reloading the page.";
      root.setAttribute("aria-busy", "false");
    }
    throw error;
  }
}

const runtime = await loadRuntimeConfig();

export const firebaseOptions: FirebaseOptions = runtime.options;

export const functionsRegion: string = runtime.app.functionsRegion || "us-central1";

/**
 * Google Analytics' measurement id, from the serving project's config: analytics asks for
 * consent, and only then loads (features/analytics). Against the emulators there is none,
 * unless a test names one before the app loads (window.__AVMEETS_MEASUREMENT_ID__).
 */
export const measurementId: string | undefined = useEmulators
  ? ((globalThis as { __AVMEETS_MEASUREMENT_ID__?: string }).__AVMEETS_MEASUREMENT_ID__ ?? undefined)
  : runtime.options.measurementId || undefined;

export const phoneSignInEnabled: boolean = useEmulators || runtime.app.phoneSignIn === true;

/** App Check: the reCAPTCHA Enterprise site key when configured (otherwise off). */
export const appCheckSiteKey: string | undefined = runtime.app.appCheckSiteKey || undefined;
/** Emulators only: the App Check debug token registered in the console (or true to mint one). */
export const appCheckDebugToken: string | boolean | undefined = useEmulators
  ? env.VITE_APP_CHECK_DEBUG_TOKEN || true
  : undefined;

/**
 * Test-only switch (honoured against the emulators only): keep WebRTC on 127.0.0.1. ICE servers
 * not on loopback are dropped, and only loopback candidates are sent and applied. Set
 * localStorage "avmeets:loopback-only" to "1" before the app starts.
 */
export function loopbackOnly(): boolean {
  return testSwitch("avmeets:loopback-only", "1");
}

/**
 * Test-only switch (emulators only): localStorage "avmeets:adaptation" = "off" sends every peer
 * full quality, as before bandwidth adaptation (the benchmark's baseline).
 */
export function adaptationOff(): boolean {
  return testSwitch("avmeets:adaptation", "off");
}

function testSwitch(key: string, value: string): boolean {
  if (!useEmulators) return false;
  try {
    return localStorage.getItem(key) === value;
  } catch {
    return false;
  }
}

export const APP_NAME = "AVMeets";
