import { describe, expect, it } from "vitest";
import type { LinkView } from "../../core/meeting/link";
import { UNKNOWN_QUALITY, type Quality } from "../../core/meeting/quality";
import { bestTileWidth, chooseStage, MIN_TILE_WIDTH, wantsFor, type StageInput } from "./layout";
import { connectionDetails, connectionText, hue, initials, pathLabel, stateLabel } from "./tileInfo";

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

describe("chooseStage", () => {
  const input = (more: Partial<StageInput> = {}): StageInput => ({
    uids: ["me", "a", "b"],
    myUid: "me",
    presenters: [],
    speaker: null,
    pinned: null,
    spotlight: null,
    board: false,
    narrow: false,
    selfHidden: false,
    ...more,
  });

  it("is an even grid for a few people", () => {
    expect(chooseStage(input())).toEqual({ main: null, reason: "grid", order: ["me", "a", "b"], hidden: 0 });
  });

  it("gives a presenter's screen the stage and puts the presenter's camera first", () => {
    const layout = chooseStage(input({ presenters: ["b"] }));
    expect(layout.main).toEqual({ kind: "screen", uid: "b" });
    expect(layout.order).toEqual(["b", "me", "a"]);
    // The most recent presenter wins; one who left is ignored.
    expect(chooseStage(input({ presenters: ["a", "b", "gone"] })).main).toEqual({ kind: "screen", uid: "b" });
  });

  it("favours the speaker from five people (three on a phone)", () => {
    const five = ["me", "a", "b", "c", "d"];
    expect(chooseStage(input({ uids: five, speaker: "c" })).main).toEqual({ kind: "camera", uid: "c" });
    expect(chooseStage(input({ uids: five, speaker: null })).main).toEqual({ kind: "camera", uid: "a" });
    expect(chooseStage(input({ speaker: "b", narrow: true })).main).toEqual({ kind: "camera", uid: "b" });
    expect(chooseStage(input({ speaker: "b" })).reason).toBe("grid");
  });

  it("gives two people on a phone the other's picture, ours in its corner, and asks for it whole", () => {
    const two = input({ uids: ["me", "a"], narrow: true });
    const pair = chooseStage(two);
    expect(pair).toEqual({ main: null, reason: "pair", order: ["me", "a"], hidden: 0 });
    expect(wantsFor(two, pair, "a", { visible: true, width: 366 }, false).camera).toBe("high");
    expect(chooseStage({ ...two, narrow: false }).reason).toBe("grid"); // side by side on a wide screen
    expect(chooseStage({ ...two, uids: ["me"] }).reason).toBe("grid"); // alone: the invitation
    expect(chooseStage({ ...two, presenters: ["a"] }).reason).toBe("presenting");
  });

  it("leaves our own tile out when self view is hidden, still counting us", () => {
    expect(chooseStage(input({ selfHidden: true }))).toEqual({ main: null, reason: "grid", order: ["a", "b"], hidden: 0 });
    // Five with us: still the speaker's view; our screen still takes the stage, our camera first no more.
    expect(chooseStage(input({ uids: ["me", "a", "b", "c", "d"], selfHidden: true })).reason).toBe("speaker");
    expect(chooseStage(input({ presenters: ["me"], selfHidden: true }))).toEqual({ main: { kind: "screen", uid: "me" }, reason: "presenting", order: ["a", "b"], hidden: 0 });
    // Pinned or spotlighted, we are shown: that was asked for.
    expect(chooseStage(input({ pinned: { kind: "camera", uid: "me" }, selfHidden: true })).main).toEqual({ kind: "camera", uid: "me" });
    // Two on a phone: the other fills the screen with no corner picture of us.
    expect(chooseStage(input({ uids: ["me", "a"], narrow: true, selfHidden: true }))).toEqual({ main: null, reason: "pair", order: ["a"], hidden: 0 });
  });

  it("follows the layout the person chose: always a grid, or the speaker as soon as anyone is there", () => {
    const five = ["me", "a", "b", "c", "d"];
    expect(chooseStage(input({ uids: five, speaker: "c", choice: "tiled" }))).toEqual({ main: null, reason: "grid", order: five, hidden: 0 });
    expect(chooseStage(input({ uids: ["me", "a"], narrow: true, choice: "tiled" })).reason).toBe("pair");
    expect(chooseStage(input({ uids: ["me", "a"], choice: "speaker" })).main).toEqual({ kind: "camera", uid: "a" });
    expect(chooseStage(input({ speaker: "b", choice: "speaker" })).main).toEqual({ kind: "camera", uid: "b" });
    expect(chooseStage(input({ uids: ["me"], choice: "speaker" })).reason).toBe("grid"); // alone: the invitation
    // A presentation takes the stage whatever was chosen.
    expect(chooseStage(input({ uids: five, presenters: ["a"], choice: "tiled" })).reason).toBe("presenting");
  });

  it("hides the tiles of those without video when asked, but ours and whoever has the stage", () => {
    const five = ["me", "a", "b", "c", "d"];
    const dark = { uids: five, withoutVideo: ["me", "a", "b", "c"], choice: "tiled" as const };
    expect(chooseStage(input(dark))).toMatchObject({ order: five, hidden: 0 }); // not asked
    expect(chooseStage(input({ ...dark, hideWithoutVideo: true }))).toMatchObject({ order: ["me", "d"], hidden: 3 });
    const staged = input({ ...dark, hideWithoutVideo: true, presenters: ["a"], pinned: { kind: "camera", uid: "b" } });
    expect(chooseStage(staged)).toMatchObject({ main: { kind: "camera", uid: "b" }, order: ["a", "me", "b", "d"], hidden: 1 });
    expect(chooseStage(input({ ...dark, hideWithoutVideo: true, spotlight: "c", selfHidden: true }))).toMatchObject({ order: ["c", "d"], hidden: 2 });
  });

  it("puts a pin before a spotlight before a presentation, and the whiteboard before all", () => {
    const all = input({ presenters: ["a"], spotlight: "b", pinned: { kind: "camera", uid: "a" } });
    expect(chooseStage(all)).toMatchObject({ main: { kind: "camera", uid: "a" }, reason: "pinned" });
    expect(chooseStage({ ...all, pinned: null })).toMatchObject({ main: { kind: "camera", uid: "b" }, reason: "spotlight" });
    expect(chooseStage({ ...all, board: true }).main).toEqual({ kind: "board" });
    // A pin of a screen nobody shares any more, or of someone gone, is ignored.
    expect(chooseStage(input({ pinned: { kind: "screen", uid: "b" } })).reason).toBe("grid");
    expect(chooseStage(input({ pinned: { kind: "camera", uid: "gone" } })).reason).toBe("grid");
  });
});

describe("wantsFor", () => {
  const base: StageInput = { uids: ["me", "a", "b"], myUid: "me", presenters: [], speaker: null, pinned: null, spotlight: null, board: false, narrow: false, selfHidden: false };
  const grid = chooseStage(base);
  const sharing = { ...base, presenters: ["a"] };
  const presenting = chooseStage(sharing);

  it("asks for what is shown, at the size it is shown", () => {
    expect(wantsFor(sharing, presenting, "a", { visible: true, width: 200 }, false)).toEqual({ camera: "low", screen: "high" });
    expect(wantsFor(base, grid, "a", { visible: true, width: 600 }, false).camera).toBe("high");
    expect(wantsFor(base, grid, "a", { visible: true, width: 200 }, false).camera).toBe("low");
  });

  it("asks for no video of a hidden tile, nor in audio-only mode", () => {
    expect(wantsFor(sharing, presenting, "a", { visible: false, width: 200 }, false)).toEqual({ camera: "off", screen: "high" });
    expect(wantsFor(sharing, presenting, "a", { visible: true, width: 600 }, true)).toEqual({ camera: "off", screen: "off" });
    expect(wantsFor(base, grid, "a", { visible: true, width: 600 }, true)).toEqual({ camera: "off", screen: "off" });
  });

  it("asks for a screen not shared yet as it would be shown if it were", () => {
    // Nobody presents: a new presentation would take the stage, so it is asked for already.
    expect(wantsFor(base, grid, "a", { visible: true, width: 600 }, false).screen).toBe("high");
    // "b" presenting after "a" would be the newest, shown; "a"'s older one is not.
    const both = { ...base, presenters: ["a", "b"] };
    expect(wantsFor(both, chooseStage(both), "a", { visible: true, width: 200 }, false).screen).toBe("off");
    expect(wantsFor(sharing, presenting, "b", { visible: true, width: 200 }, false).screen).toBe("high");
    // A pinned camera, the spotlight or the whiteboard would stay on the stage: not asked for.
    for (const over of [{ pinned: { kind: "camera", uid: "b" } as const }, { spotlight: "b" }, { board: true }]) {
      const input = { ...base, ...over };
      expect(wantsFor(input, chooseStage(input), "a", { visible: true, width: 600 }, false).screen).toBe("off");
    }
  });
});

describe("tile labels", () => {
  const quality = (bars: Quality["bars"], more: Partial<Quality> = {}): Quality => ({ ...UNKNOWN_QUALITY, bars, ...more });
  const view = (state: LinkView["state"], relayed?: boolean, q = quality(4)): LinkView => ({
    state,
    path: relayed === undefined ? null : { stats: { relayed }, sample: { at: 0, packetsLost: 0, packetsReceived: 0 } },
    quality: q,
    safetyCode: null,
    safety: null,
    remoteMedia: { audio: true, video: true, screen: false, recording: false },
    videoLive: true,
    screenLive: false,
  });

  it("say nothing when all is well, and what is wrong in words", () => {
    expect(stateLabel(undefined)).toEqual({ state: "waiting", text: "Waiting to connect" });
    expect(stateLabel(view("connected", false))).toEqual({ state: "connected", text: "" });
    expect(stateLabel(view("connected", false, quality(2))).text).toBe("Poor connection");
    expect(stateLabel(view("reconnecting")).text).toBe("Reconnecting…");
    expect(pathLabel(view("connected", true))).toBe("relayed");
    expect(pathLabel(undefined)).toBe("");
  });

  it("say a person is connected before the quality is measured, never \"No connection\"", () => {
    expect(connectionText(view("connected", false, UNKNOWN_QUALITY))).toBe("Connected");
    expect(connectionText(view("connected", false, quality(3, { label: "Good" })))).toBe("Good connection");
    expect(connectionText(view("reconnecting"))).toBe("Reconnecting…");
    expect(connectionText(undefined)).toBe("Waiting to connect");
    expect(connectionDetails(view("connected", false, UNKNOWN_QUALITY))[0]).toEqual(["Quality", "Not measured yet"]);
  });

  it("give the details on demand, in words first", () => {
    const v = view("connected", false, quality(2, { label: "Poor", problem: "long delay, speech may lag", rttMs: 612.4, lossPct: 0.42, receiveKbps: 1850 }));
    v.path = { stats: { relayed: false, localCandidateType: "host", remoteCandidateType: "prflx", protocol: "udp" }, sample: { at: 0, packetsLost: 0, packetsReceived: 0 } };
    expect(connectionDetails(v)).toEqual([
      ["Quality", "Poor"],
      ["Problem", "long delay, speech may lag"],
      ["Route", "Direct (local address → public address, UDP)"],
      ["Round trip", "612 ms"],
      ["Packet loss", "0.4 %"],
      ["Receiving", "1.9 Mbit/s"],
    ]);
    expect(connectionDetails(undefined)).toEqual([["Connection", "Waiting to connect"]]);
    const near = view("connected", false, quality(4, { label: "Excellent", rttMs: 0.3 }));
    expect(connectionDetails(near)).toContainEqual(["Round trip", "under 1 ms"]);
    const next = view("connected", false, quality(4, { label: "Excellent", rttMs: 0.6 }));
    expect(connectionDetails(next)).toContainEqual(["Round trip", "1 ms"]);
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
