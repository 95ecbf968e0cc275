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

/**
 * What identifies a candidate line whichever way it travels: an `RTCIceCandidate.candidate`
 * carries extensions (`ufrag`, `network-cost`) the SDP's line may not, so the first eight
 * fields (foundation to type).
 */
export function candidateKey(candidate: string): string {
  return candidate.replace(/^a=/, "").replace(/^candidate:/, "").split(/\s+/).slice(0, 8).join(" ");
}

/** The candidates of an SDP (each `a=candidate:` line without its `a=`), in order. */
export function sdpCandidates(sdp: string): string[] {
  return sdp
    .split(/\r?\n/)
    .filter((line) => line.startsWith("a=candidate:"))
    .map((line) => line.slice(2));
}

/**
 * The SDP to send with the candidates gathered so far (docs/protocol.md section 4, step 3):
 * each candidate line passed through `outgoing` (its replacement, or null to leave it out: the
 * same filter as the trickled ones), the connection addresses neutral (`c=IN IP4 0.0.0.0`, port
 * 9 but for a rejected section's 0, as before gathering: an address leaves only as a candidate that passed the filter), and,
 * when gathering is `complete`, `a=end-of-candidates` in every media section.
 */
export function withCandidates(sdp: string, outgoing: (candidate: string) => string | null, complete: boolean): string {
  const out: string[] = [];
  let inMedia = false;
  const endSection = () => {
    if (inMedia && complete) out.push("a=end-of-candidates");
  };
  for (const line of sdp.split(/\r?\n/)) {
    if (!line || line === "a=end-of-candidates") continue;
    if (line.startsWith("m=")) {
      endSection();
      inMedia = true;
      // Port 0 is a rejected section and stays so.
      out.push(line.replace(/^(m=\S+ )(\d+)/, (all, head: string, port: string) => (port === "0" ? all : `${head}9`)));
    } else if (line.startsWith("c=IN ")) {
      out.push("c=IN IP4 0.0.0.0");
    } else if (line.startsWith("a=rtcp:")) {
      out.push("a=rtcp:9 IN IP4 0.0.0.0");
    } else if (line.startsWith("a=candidate:")) {
      const kept = outgoing(line.slice(2));
      if (kept !== null) out.push(`a=${kept}`);
    } else {
      out.push(line);
    }
  }
  endSection();
  return out.join("\r\n") + "\r\n";
}
