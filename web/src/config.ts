/**
 * Build-time and run-time configuration.
 *
 * Against the Firebase Emulator Suite (served from localhost / 127.0.0.1, or built with
 * VITE_USE_EMULATORS=1) the app uses the demo project and the emulators' fixed ports. Otherwise the
 * production project comes from the VITE_FIREBASE_* variables at build time.
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

export const functionsRegion: string = env.VITE_FUNCTIONS_REGION || "us-central1";

export const firebaseOptions: FirebaseOptions = useEmulators
  ? {
      apiKey: "fake-api-key",
      authDomain: `${emulators.auth.host}:${emulators.auth.port}`,
      projectId: EMULATOR_PROJECT_ID,
      appId: "1:000000000000:web:avmeets-emulator",
    }
  : {
      apiKey: env.VITE_FIREBASE_API_KEY,
      authDomain: env.VITE_FIREBASE_AUTH_DOMAIN,
      projectId: env.VITE_FIREBASE_PROJECT_ID,
      appId: env.VITE_FIREBASE_APP_ID,
      messagingSenderId: env.VITE_FIREBASE_MESSAGING_SENDER_ID,
      storageBucket: env.VITE_FIREBASE_STORAGE_BUCKET,
      measurementId: env.VITE_FIREBASE_MEASUREMENT_ID,
    };

export const measurementId: string | undefined = useEmulators
  ? undefined
  : env.VITE_FIREBASE_MEASUREMENT_ID || undefined;

export const phoneSignInEnabled: boolean = useEmulators || env.VITE_PHONE_SIGN_IN === "1";

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
