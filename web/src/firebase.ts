/**
 * Firebase app, Auth and Functions (the initial bundle). Firestore is loaded with the room.
 * App Check, when an operator configured it, is loaded and started before anything calls out.
 */
import { initializeApp, type FirebaseApp } from "firebase/app";
import { connectAuthEmulator, getAuth, type Auth } from "firebase/auth";
import {
  connectFunctionsEmulator,
  getFunctions,
  httpsCallable,
  type Functions,
  type HttpsCallableResult,
} from "firebase/functions";
import {
  appCheckDebugToken,
  appCheckSiteKey,
  emulators,
  firebaseOptions,
  functionsRegion,
  measurementId,
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

/**
 * Call a callable of docs/protocol.md; errors are FunctionsError (code, message, details).
 * `timeoutMs` (default 70 s) bounds the request: past it the call fails with deadline-exceeded.
 */
export async function call<T>(name: string, data: Record<string, unknown>, timeoutMs = 70_000): Promise<T> {
  const callable = httpsCallable<Record<string, unknown>, T>(functions, name, { timeout: timeoutMs });
  const result: HttpsCallableResult<T> = await callable(data);
  return result.data;
}

/** The callable error's code without the "functions/" prefix, e.g. "permission-denied". */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" ? code.replace(/^functions\//, "") : "unknown";
}

export function errorReason(error: unknown): string | undefined {
  const details = (error as { details?: unknown })?.details;
  if (details && typeof details === "object" && "reason" in details) {
    const reason = (details as { reason?: unknown }).reason;
    return typeof reason === "string" ? reason : undefined;
  }
  return undefined;
}

export function errorDetails(error: unknown): Record<string, unknown> {
  const details = (error as { details?: unknown })?.details;
  return details && typeof details === "object" ? (details as Record<string, unknown>) : {};
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
