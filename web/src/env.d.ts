/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** "1" forces the emulators, "0" forbids them; unset: emulators when served from loopback. */
  readonly VITE_USE_EMULATORS?: string;
  /** Host of the emulators (default 127.0.0.1). */
  readonly VITE_EMULATOR_HOST?: string;
  /**
   * Emulator builds only: App Check with the debug provider. Production builds take no
   * project settings at build time (web/src/config.ts reads them at run time).
   */
  readonly VITE_APP_CHECK_SITE_KEY?: string;
  readonly VITE_APP_CHECK_DEBUG_TOKEN?: string;
}
