/**
 * This device's DTLS certificate, made once and kept (core/state/deviceDb.ts), so that its
 * fingerprint, and the safety code derived from it, stay the same from one meeting to the next:
 * the others' browsers remember it and warn when it changes (features/safety).
 *
 * ECDSA P-256 (what browsers make by default). A certificate expires; one within a day of it is
 * replaced, which the others see as a changed code, as they should.
 */
import { getItem, putItem } from "../state/deviceDb";

const KEY = "dtls";
/** Chromium accepts at most a year. */
const LIFETIME_MS = 365 * 24 * 3600 * 1000;
const RENEW_BEFORE_MS = 24 * 3600 * 1000;

let loading: Promise<RTCCertificate | null> | null = null;

async function loadOrMake(): Promise<RTCCertificate | null> {
  if (typeof RTCPeerConnection === "undefined" || !RTCPeerConnection.generateCertificate) return null;
  try {
    const kept = await getItem<RTCCertificate>("keys", KEY);
    if (kept && kept.expires - Date.now() > RENEW_BEFORE_MS) return kept;
  } catch {
    // No IndexedDB (a private window may refuse it): a certificate for this page only.
  }
  const made = await RTCPeerConnection.generateCertificate({
    name: "ECDSA",
    namedCurve: "P-256",
    expires: LIFETIME_MS,
  } as AlgorithmIdentifier);
  await putItem("keys", made, KEY).catch(() => undefined);
  return made;
}

/** The device certificate (the same object for the page's life); null where there is none. */
export function deviceCertificate(): Promise<RTCCertificate | null> {
  loading ??= loadOrMake().catch((error: unknown) => {
    console.warn("no device certificate; connections use one of their own", error);
    return null;
  });
  return loading;
}

/** Make a new one (the privacy page's "new device certificate"): everyone will see a new code. */
export async function renewDeviceCertificate(): Promise<void> {
  const made = await RTCPeerConnection.generateCertificate({
    name: "ECDSA",
    namedCurve: "P-256",
    expires: LIFETIME_MS,
  } as AlgorithmIdentifier);
  await putItem("keys", made, KEY);
  loading = Promise.resolve(made);
}
