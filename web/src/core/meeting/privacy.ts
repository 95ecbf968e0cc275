/**
 * Privacy mode ("hide my IP address from the others"): our ICE candidates are relay only
 * (iceTransportPolicy "relay"), so peers see the TURN relay's address, never ours. The person
 * chooses it, or their organisation requires it (join_meeting's `relayOnly`). Pure.
 */
import { hasRelay } from "./ice";

export interface Privacy {
  relayOnly: boolean;
  /** Our organisation requires it. */
  required: boolean;
  /** join_meeting gave us a TURN relay; without one, relay-only connects to nobody. */
  relayAvailable: boolean;
}

export const OPEN: Privacy = { relayOnly: false, required: false, relayAvailable: true };

export function privacyFor(chosen: boolean, required: boolean, servers: readonly RTCIceServer[]): Privacy {
  return { relayOnly: chosen || required, required, relayAvailable: hasRelay(servers) };
}

/** The policy of our connections: relay only in privacy mode, even with no relay (then none). */
export function transportPolicy(privacy: Privacy): RTCIceTransportPolicy {
  return privacy.relayOnly ? "relay" : "all";
}

const PREF_KEY = "avmeets:hide-ip";

/** The person's choice, kept in this browser. */
export function hideIpPreference(): boolean {
  try {
    return localStorage.getItem(PREF_KEY) === "1";
  } catch {
    return false;
  }
}

export function setHideIpPreference(on: boolean): void {
  try {
    if (on) localStorage.setItem(PREF_KEY, "1");
    else localStorage.removeItem(PREF_KEY);
  } catch {
    /* storage may be disabled */
  }
}
