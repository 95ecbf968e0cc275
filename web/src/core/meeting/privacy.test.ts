import { describe, expect, it } from "vitest";
import { privacyFor, transportPolicy } from "./privacy";

const turn = [{ urls: ["turn:127.0.0.1:3478?transport=udp"], username: "1:u", credential: "c" }];
const stun = [{ urls: ["stun:stun.example.org:3478"] }];

describe("privacy mode", () => {
  it("is relay only when chosen or required", () => {
    expect(privacyFor(true, false, turn)).toEqual({ relayOnly: true, required: false, relayAvailable: true });
    expect(privacyFor(false, true, turn)).toEqual({ relayOnly: true, required: true, relayAvailable: true });
    expect(transportPolicy(privacyFor(false, false, turn))).toBe("all");
    expect(transportPolicy(privacyFor(true, false, turn))).toBe("relay");
  });

  it("stays relay only without a relay: it connects to nobody rather than reveal the address", () => {
    const privacy = privacyFor(true, false, stun);
    expect(privacy.relayAvailable).toBe(false);
    expect(transportPolicy(privacy)).toBe("relay");
  });
});
