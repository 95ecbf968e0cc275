/**
 * Firebase app, Auth and Functions (the initial bundle). Firestore is loaded with the room; the
 * callables are called through core/api/client.ts.
 */
import { initializeApp, type FirebaseApp } from "firebase/app";
import { connectAuthEmulator, getAuth, type Auth } from "firebase/auth";
import { connectFunctionsEmulator, getFunctions, type Functions } from "firebase/functions";
import {
  emulators,
  firebaseOptions,
  functionsRegion,
  measurementId,
  useEmulators,
} from "./config";

export const app: FirebaseApp = initializeApp(firebaseOptions);
export const auth: Auth = getAuth(app);
export const functions: Functions = getFunctions(app, functionsRegion);

if (useEmulators) {
  connectAuthEmulator(auth, `http://${emulators.auth.host}:${emulators.auth.port}`, {
    disableWarnings: true,
  });
  connectFunctionsEmulator(functions, emulators.functions.host, emulators.functions.port);
  // Phone sign-in against the emulator: no reCAPTCHA (it would need Google's servers).
  auth.settings.appVerificationDisabledForTesting = true;
}

/** Analytics only when an operator configured a measurement id; loaded lazily. */
export function startAnalyticsIfConfigured(): void {
  if (!measurementId) return;
  void import("firebase/analytics")
    .then(async ({ getAnalytics, isSupported }) => {
      if (await isSupported()) getAnalytics(app);
    })
    .catch(() => undefined);
}
