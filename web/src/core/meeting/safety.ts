/**
 * Safety codes: both ends of a connection derive the same 16 digits from the two DTLS
 * certificates of that connection. A machine in the middle terminating DTLS would present its own
 * certificate to each side, so the two people would see different codes.
 *
 * Algorithm (v1):
 * 1. For each side, "sha-256 <HEX>": the SHA-256 of the certificate (DER) used in the DTLS
 *    handshake, upper-case hex pairs joined by ":" (the `a=fingerprint:sha-256` notation). The
 *    certificates come from getStats() (RTCCertificateStats.base64Certificate, local and remote);
 *    where a browser has no certificate stats, the `a=fingerprint:sha-256` lines of the local and
 *    remote SDP are used instead.
 * 2. Sort the two strings; SHA-256 over "AVMeets safety code v1\n" + first + "\n" + second (UTF-8).
 * 3. The first 8 bytes as a big-endian unsigned integer, modulo 10^16, zero-padded to 16 digits,
 *    in groups of 4.
 */

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

export async function safetyCode(local: string, remote: string): Promise<string> {
  const [first, second] = [local, remote].sort();
  const input = new TextEncoder().encode(`AVMeets safety code v1\n${first}\n${second}`);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", input));
  let value = 0n;
  for (let i = 0; i < 8; i++) value = (value << 8n) | BigInt(digest[i]);
  const digits = (value % 10n ** 16n).toString().padStart(16, "0");
  return digits.match(/.{4}/g)!.join(" ");
}

export async function connectionSafetyCode(pc: RTCPeerConnection): Promise<string | null> {
  if (!crypto?.subtle) return null;
  const fromStats = await dtlsFingerprints(pc);
  if (fromStats) return safetyCode(...fromStats);
  const local = sdpFingerprint(pc.localDescription?.sdp);
  const remote = sdpFingerprint(pc.remoteDescription?.sdp);
  return local && remote ? safetyCode(local, remote) : null;
}
