/** Small pure helpers on SDP and candidate lines. */

/** Whether a candidate line's address is on loopback (127.0.0.0/8 or ::1). */
export function isLoopbackCandidate(candidate: string): boolean {
  const fields = candidate.replace(/^candidate:/, "").split(/\s+/);
  const address = fields[4] ?? "";
  return address.startsWith("127.") || address === "::1" || address === "[::1]";
}

/** The SDP without candidate lines: candidates travel as `candidates` signals. */
export function stripCandidates(sdp: string): string {
  const lines = sdp.split(/\r?\n/).filter((line) => line && !line.startsWith("a=candidate:") && line !== "a=end-of-candidates");
  return lines.join("\r\n") + "\r\n";
}

/** A candidate line's type ("host", "srflx", "prflx", "relay"), or null. */
export function candidateType(candidate: string): string | null {
  return /\btyp (\w+)/.exec(candidate)?.[1] ?? null;
}

/**
 * Privacy mode's last guard on what leaves: a relay candidate with its related address (the
 * address the relay saw us at) blanked; null for any other candidate (the browser gathers none
 * with iceTransportPolicy "relay", and one that slipped through is never sent).
 */
export function relayOnlyCandidate(candidate: string): string | null {
  if (candidateType(candidate) !== "relay") return null;
  return candidate.replace(/\braddr \S+ rport \d+/, "raddr 0.0.0.0 rport 0");
}
