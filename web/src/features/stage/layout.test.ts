import { describe, expect, it } from "vitest";
import { bestTileWidth, MIN_TILE_WIDTH } from "./layout";
import { hue, initials, pathDetails, pathLabel, stateLabel } from "./tileInfo";
import type { LinkView } from "../../core/meeting/link";

describe("bestTileWidth", () => {
  it("fills the stage with one tile, limited by height at 16:9", () => {
    expect(bestTileWidth(1, 1600, 900)).toBe(1600);
    expect(bestTileWidth(1, 1600, 450)).toBe(800);
  });

  it("puts two side by side on a wide stage, one above the other on a tall one", () => {
    expect(bestTileWidth(2, 1212, 400)).toBe(600);
    expect(bestTileWidth(2, 1212, 900)).toBe(789);
  });

  it("never goes below the minimum, and waits for a measured stage", () => {
    expect(bestTileWidth(50, 300, 200)).toBe(MIN_TILE_WIDTH);
    expect(bestTileWidth(2, 0, 900)).toBeNull();
  });
});

describe("tile labels", () => {
  const view = (state: LinkView["state"], relayed?: boolean): LinkView => ({
    state,
    path: relayed === undefined ? null : { stats: { relayed } },
    safetyCode: null,
    safety: null,
    remoteMedia: { audio: true, video: true, screen: false, recording: false },
    videoLive: true,
  });

  it("say how the connection is", () => {
    expect(stateLabel(undefined)).toEqual({ state: "waiting", text: "Waiting to connect" });
    expect(stateLabel(view("connected", false))).toEqual({ state: "connected", text: "Connected · direct" });
    expect(stateLabel(view("connected", true)).text).toBe("Connected · relayed");
    expect(stateLabel(view("connected")).text).toBe("Connected");
    expect(stateLabel(view("reconnecting")).text).toBe("Reconnecting…");
    expect(pathLabel(view("connected", true))).toBe("relayed");
    expect(pathLabel(undefined)).toBe("");
  });

  it("show the path's details", () => {
    const v = view("connected", false);
    v.path = { stats: { rttMs: 12.6, localCandidateType: "host", remoteCandidateType: "prflx", protocol: "udp" } };
    expect(pathDetails(v)).toEqual(["13 ms", "host→prflx udp"]);
    expect(pathDetails(undefined)).toEqual([]);
  });

  it("make avatars", () => {
    expect(initials("Ada Lovelace")).toBe("AL");
    expect(initials("  bob ")).toBe("B");
    expect(initials("")).toBe("?");
    expect(hue("abc")).toBe(hue("abc"));
    expect(hue("abc")).toBeGreaterThanOrEqual(0);
    expect(hue("abc")).toBeLessThan(360);
  });
});
