/**
 * Firebase app, Auth and Functions (the initial bundle). Firestore is loaded with the room; the
 * callables are called through core/api/client.ts. App Check, when an operator configured it, is
 * loaded and started before anything calls out.
 */
import { initializeApp, type FirebaseApp } from "firebase/app";
import { connectAuthEmulator, getAuth, type Auth } from "firebase/auth";
import { connectFunctionsEmulator, getFunctions, type Functions } from "firebase/functions";
import {
  appCheckDebugToken,
  appCheckSiteKey,
  emulators,
  firebaseOptions,
  functionsRegion,
  useEmulators,
} from "./config";

export const app: FirebaseApp = initializeApp(firebaseOptions);

if (appCheckSiteKey) {
  // Callables send the App Check token; functions enforce it when APP_CHECK_ENFORCE=1. Against
  // the emulators the debug provider stands in for reCAPTCHA (docs/deploy.md, "App Check").
  const { initializeAppCheck, ReCaptchaEnterpriseProvider } = await import("firebase/app-check");
  if (useEmulators) {
    (self as { FIREBASE_APPCHECK_DEBUG_TOKEN?: string | boolean }).FIREBASE_APPCHECK_DEBUG_TOKEN =
      appCheckDebugToken;
  }
  initializeAppCheck(app, {
    provider: new ReCaptchaEnterpriseProvider(appCheckSiteKey),
    isTokenAutoRefreshEnabled: true,
  });
}
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
