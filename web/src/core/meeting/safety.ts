/**
 * Safety codes that remember. Each device keeps one DTLS certificate (certificate.ts), and each
 * certificate has a short *device code*: four words. A connection's safety code is the two
 * device codes of that connection's certificates, in a fixed order, so both people see the same
 * eight words; each reads out their own four ("Your code") and checks the other's. A machine in
 * the middle terminating DTLS presents its own certificates, so the words differ; and because the
 * codes stay the same from one meeting to the next, the browser remembers each contact's and
 * warns when it changes (features/safety).
 *
 * Algorithm (v2):
 * 1. For each side, "sha-256 <HEX>": the SHA-256 of the certificate (DER) used in the DTLS
 *    handshake, upper-case hex pairs joined by ":" (the `a=fingerprint:sha-256` notation), from
 *    getStats() (RTCCertificateStats.base64Certificate, local and remote), else from the
 *    `a=fingerprint:sha-256` lines of the local and remote SDP.
 * 2. Device code: PBKDF2-HMAC-SHA-256 of that string (UTF-8), salt "AVMeets device code v2",
 *    100,000 iterations, 8 bytes; its first 44 bits as four 11-bit numbers, each a word of the
 *    BIP-39 English list (2,048 words), joined by spaces.
 * 3. Safety code: the two device codes sorted and joined by " · ".
 *
 * Why per device and why slow: the code of a certificate that is kept must not be easy to match
 * with a made-up one. An attacker has to find a certificate whose code equals a given device's
 * (44 bits, each try 100,000 HMACs: about 2^61 operations), not merely two codes that collide.
 */
import { wordlist } from "@scure/bip39/wordlists/english.js";


type Report = Record<string, unknown> & { id: string; type: string };

function hexPairs(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":");
}

export async function certificateFingerprint(base64: string): Promise<string> {
  const der = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return `sha-256 ${hexPairs(new Uint8Array(await crypto.subtle.digest("SHA-256", der)))}`;
}

/** The local and remote certificates' fingerprints of the connected DTLS transport. */
export async function dtlsFingerprints(pc: RTCPeerConnection): Promise<[string, string] | null> {
  let report: RTCStatsReport;
  try {
    report = await pc.getStats();
  } catch {
    return null;
  }
  const byId = new Map<string, Report>();
  report.forEach((value: Report) => byId.set(value.id, value));
  for (const transport of byId.values()) {
    if (transport.type !== "transport" || transport.dtlsState !== "connected") continue;
    const local = byId.get(String(transport.localCertificateId));
    const remote = byId.get(String(transport.remoteCertificateId));
    if (typeof local?.base64Certificate === "string" && typeof remote?.base64Certificate === "string") {
      return [await certificateFingerprint(local.base64Certificate), await certificateFingerprint(remote.base64Certificate)];
    }
  }
  return null;
}

/** Fallback: the `a=fingerprint:sha-256` line of an SDP, in the same notation. */
export function sdpFingerprint(sdp: string | undefined | null): string | null {
  const match = sdp ? /^a=fingerprint:sha-256\s+([0-9a-f:]+)\s*$/im.exec(sdp) : null;
  return match ? `sha-256 ${match[1].toUpperCase()}` : null;
}

const CODE_SALT = new TextEncoder().encode("AVMeets device code v2");
const CODE_ITERATIONS = 100_000;
const codes = new Map<string, Promise<string>>();

async function derive(fingerprint: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(fingerprint), "PBKDF2", false, ["deriveBits"]);
  const bits = new Uint8Array(
    await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: CODE_SALT, iterations: CODE_ITERATIONS }, key, 64),
  );
  let value = 0n;
  for (const byte of bits) value = (value << 8n) | BigInt(byte);
  const words: string[] = [];
  for (let i = 0; i < 4; i++) words.push(wordlist[Number((value >> BigInt(64 - 11 * (i + 1))) & 0x7ffn)]);
  return words.join(" ");
}

/** The four words of one certificate's fingerprint (computed once per fingerprint). */
export function deviceCode(fingerprint: string): Promise<string> {
  let code = codes.get(fingerprint);
  if (!code) {
    code = derive(fingerprint);
    codes.set(fingerprint, code);
  }
  return code;
}

/** What joins the two device codes of a connection's code. */
export const PAIR_SEPARATOR = " · ";

/** The connection's code: both device codes in a fixed order, the same on both ends. */
export function pairCode(a: string, b: string): string {
  return [a, b].sort().join(PAIR_SEPARATOR);
}

/** What a connection's safety comes down to, for the UI and for remembering contacts. */
export interface SafetyInfo {
  code: string;
  mine: string;
  theirs: string;
  /** The other side's certificate fingerprint ("sha-256 AB:CD:…"): what contacts remember. */
  remoteFingerprint: string;
}

export async function connectionSafety(pc: RTCPeerConnection): Promise<SafetyInfo | null> {
  if (!crypto?.subtle) return null;
  let pair = await dtlsFingerprints(pc);
  if (!pair) {
    const local = sdpFingerprint(pc.localDescription?.sdp);
    const remote = sdpFingerprint(pc.remoteDescription?.sdp);
    pair = local && remote ? [local, remote] : null;
  }
  if (!pair) return null;
  const [mine, theirs] = await Promise.all([deviceCode(pair[0]), deviceCode(pair[1])]);
  return { code: pairCode(mine, theirs), mine, theirs, remoteFingerprint: pair[1] };
}
