import { afterEach, describe, expect, it, vi } from "vitest";
import { hideIpPreference, OPEN, privacyFor, setHideIpPreference, transportPolicy } from "./privacy";

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

  it("is open by default, and not relay only when nobody asks", () => {
    expect(OPEN).toEqual({ relayOnly: false, required: false, relayAvailable: true });
    expect(transportPolicy(OPEN)).toBe("all");
    expect(privacyFor(false, false, stun)).toEqual({ relayOnly: false, required: false, relayAvailable: false });
  });
});

describe("the hide-my-IP choice", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("is remembered in this browser, and forgotten when turned off", () => {
    const store = new Map<string, string>();
    vi.stubGlobal("localStorage", {
      getItem: (key: string) => store.get(key) ?? null,
      setItem: (key: string, value: string) => store.set(key, value),
      removeItem: (key: string) => store.delete(key),
    });
    expect(hideIpPreference()).toBe(false);
    setHideIpPreference(true);
    expect([...store]).toEqual([["avmeets:hide-ip", "1"]]);
    expect(hideIpPreference()).toBe(true);
    store.set("avmeets:hide-ip", "yes");
    expect(hideIpPreference()).toBe(false); // only the value it writes
    setHideIpPreference(false);
    expect(store.size).toBe(0);
  });

  it("is off, and changes nothing, where storage is disabled", () => {
    const refuse = () => {
      throw new Error("SecurityError");
    };
    vi.stubGlobal("localStorage", { getItem: refuse, setItem: refuse, removeItem: refuse });
    expect(hideIpPreference()).toBe(false);
    expect(() => setHideIpPreference(true)).not.toThrow();
    expect(() => setHideIpPreference(false)).not.toThrow();
  });
});
