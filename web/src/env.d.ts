/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** "1" forces the emulators, "0" forbids them; unset: emulators when served from loopback. */
  readonly VITE_USE_EMULATORS?: string;
  /** Host of the emulators (default 127.0.0.1). */
  readonly VITE_EMULATOR_HOST?: string;
  readonly VITE_FIREBASE_API_KEY?: string;
  readonly VITE_FIREBASE_AUTH_DOMAIN?: string;
  readonly VITE_FIREBASE_PROJECT_ID?: string;
  readonly VITE_FIREBASE_APP_ID?: string;
  readonly VITE_FIREBASE_MESSAGING_SENDER_ID?: string;
  readonly VITE_FIREBASE_STORAGE_BUCKET?: string;
  /** Google Analytics measurement id; analytics is loaded only when this is set. */
  readonly VITE_FIREBASE_MEASUREMENT_ID?: string;
  readonly VITE_FUNCTIONS_REGION?: string;
  /** "1" shows phone sign-in (always shown against the emulators). */
  readonly VITE_PHONE_SIGN_IN?: string;
}
