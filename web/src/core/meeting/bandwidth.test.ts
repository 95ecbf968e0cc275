import { describe, expect, it } from "vitest";
import { cameraPreference, encodingFor, planUplink, sameEncoding, UPLINK_BUDGET_KBPS, waterFill, type UplinkInput, type Wants } from "./bandwidth";

const peers = (n: number, wants: Wants | null = null) => Array.from({ length: n }, (_, i) => ({ uid: `p${i}`, wants }));
const input = (n: number, more: Partial<UplinkInput> = {}): UplinkInput => ({
  peers: peers(n),
  camera: true,
  sharing: false,
  shareAudio: false,
  speaking: false,
  audioOnly: false,
  cameraHeight: 720,
  screenHeight: 1080,
  ...more,
});
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const cameraBitrates = (plan: ReturnType<typeof planUplink>) => [...plan.peers.values()].map((p) => p.camera.maxBitrate);

describe("planUplink", () => {
  it("sends full quality to a single peer", () => {
    const plan = planUplink(input(1));
    expect(plan.peers.get("p0")?.camera).toEqual({ active: true, maxBitrate: 1_800_000, scaleResolutionDownBy: 1, maxFramerate: 30 });
    expect(plan.peers.get("p0")?.audioBitrate).toBe(40_000);
  });

  it("keeps seven peers within the total budget, headers included", () => {
    for (const speaking of [false, true]) {
      for (const wants of [null, { camera: "high", screen: "high" } as const, { camera: "low", screen: "high" } as const]) {
        const plan = planUplink(input(7, { speaking, peers: peers(7, wants) }));
        expect(plan.totalKbps).toBeLessThanOrEqual(UPLINK_BUDGET_KBPS);
        const cameras = [...plan.peers.values()].map((p) => p.camera);
        // Everyone still gets video, at a lower resolution.
        expect(cameras.every((c) => c.active && c.scaleResolutionDownBy >= 2)).toBe(true);
        expect(sum(cameraBitrates(plan)) + 7 * 24_000).toBeLessThanOrEqual(UPLINK_BUDGET_KBPS * 1000);
      }
    }
  });

  it("stays within the budget while presenting to seven with sound", () => {
    const plan = planUplink(input(7, { sharing: true, shareAudio: true, speaking: true }));
    expect(plan.totalKbps).toBeLessThanOrEqual(UPLINK_BUDGET_KBPS);
    const first = plan.peers.get("p0");
    expect(first?.screen.active).toBe(true);
    // The screen gets more than the camera and keeps more of its resolution.
    expect(first!.screen.maxBitrate).toBeGreaterThan(first!.camera.maxBitrate);
  });

  it("gives the speaker more than a listener in a mid-sized meeting", () => {
    const listener = planUplink(input(4));
    const speaker = planUplink(input(4, { speaking: true }));
    expect(Math.min(...cameraBitrates(speaker))).toBeGreaterThan(Math.max(...cameraBitrates(listener)));
    expect(speaker.peers.get("p0")!.camera.scaleResolutionDownBy).toBeLessThan(listener.peers.get("p0")!.camera.scaleResolutionDownBy);
  });

  it("stops a stream a receiver does not show and gives its share to the others", () => {
    const all = planUplink(input(7, { peers: peers(7, { camera: "high", screen: "high" }) }));
    const some = input(7, { peers: peers(7, { camera: "high", screen: "high" }) });
    some.peers = some.peers.map((p, i) => (i < 3 ? { ...p, wants: { camera: "off", screen: "off" } } : p));
    const plan = planUplink(some);
    expect(plan.peers.get("p0")?.camera.active).toBe(false);
    expect(plan.peers.get("p6")!.camera.maxBitrate).toBeGreaterThan(all.peers.get("p6")!.camera.maxBitrate);
  });

  it("sends no video in audio-only mode, and none of a camera that is off", () => {
    for (const more of [{ audioOnly: true, sharing: true }, { camera: false }]) {
      const plan = planUplink(input(3, more));
      for (const p of plan.peers.values()) {
        expect(p.camera.active).toBe(false);
        expect(p.screen.active).toBe(false);
      }
    }
  });

  it("keeps the planned resolution only where the connection's estimate carries it", () => {
    const estimates = [null, 200, 4_000, 600];
    const plan = planUplink(input(4, { peers: estimates.map((estimateKbps, i) => ({ uid: `p${i}`, wants: null, estimateKbps })) }));
    const preferences = [...plan.peers.values()].map((p) => p.cameraPreference);
    // Not measured yet, or below its camera's planned bitrate: the browser adapts on its own.
    expect(preferences).toEqual(["maintain-framerate", "maintain-framerate", "maintain-resolution", "maintain-resolution"]);
    expect(plan.peers.get("p1")?.camera.maxBitrate).toBeGreaterThan(200_000);
    expect(plan.peers.get("p3")?.camera.maxBitrate).toBeLessThanOrEqual(600_000);
    // Once an encoder of ours was short of CPU, never: the browser must be free to send fewer pixels.
    const cpu = planUplink(input(1, { cpuLimited: true, peers: [{ uid: "p0", wants: null, estimateKbps: 4_000 }] }));
    expect(cpu.peers.get("p0")?.cameraPreference).toBe("maintain-framerate");
    // A camera not sent: nothing to keep.
    const audioOnly = planUplink(input(1, { audioOnly: true, peers: [{ uid: "p0", wants: null, estimateKbps: 4_000 }] }));
    expect(audioOnly.peers.get("p0")?.cameraPreference).toBe("maintain-framerate");
  });

  it("never scales a small source up", () => {
    const plan = planUplink(input(1, { cameraHeight: 480 }));
    expect(plan.peers.get("p0")?.camera.scaleResolutionDownBy).toBe(1);
  });
});

describe("helpers", () => {
  it("fill by weight, capped, and share what the capped leave", () => {
    const items = [
      { weight: 1, capKbps: 100, kbps: 0 },
      { weight: 1, capKbps: 1000, kbps: 0 },
      { weight: 2, capKbps: 1000, kbps: 0 },
      { weight: 0, capKbps: 1000, kbps: 0 },
    ];
    waterFill(items, 1000);
    expect(items.map((i) => Math.round(i.kbps))).toEqual([100, 300, 600, 0]);
    // A floor first, then the rest by weight.
    const floored = [
      { weight: 1, capKbps: 1000, kbps: 0 },
      { weight: 9, capKbps: 1000, kbps: 0 },
    ];
    waterFill(floored, 200, 60);
    expect(floored.map((i) => Math.round(i.kbps))).toEqual([68, 132]);
  });

  it("turn a bitrate into a resolution and a frame rate", () => {
    expect(encodingFor("camera", 1500, 720)).toMatchObject({ scaleResolutionDownBy: 1, maxFramerate: 30 });
    expect(encodingFor("camera", 400, 720)).toMatchObject({ scaleResolutionDownBy: 2, maxFramerate: 30 });
    expect(encodingFor("camera", 250, 720)).toMatchObject({ scaleResolutionDownBy: 2.667, maxFramerate: 24 });
    expect(encodingFor("screen", 700, 1080)).toMatchObject({ scaleResolutionDownBy: 1, maxFramerate: 10 });
  });

  it("choose the camera preference with a margin against flapping", () => {
    const camera = encodingFor("camera", 1_800, 720);
    expect(cameraPreference(camera, 1_799, undefined, false)).toBe("maintain-framerate");
    expect(cameraPreference(camera, 1_800, undefined, false)).toBe("maintain-resolution");
    expect(cameraPreference(camera, 1_800, "maintain-framerate", false)).toBe("maintain-resolution");
    // Kept while the estimate stays above three quarters of the planned bitrate.
    expect(cameraPreference(camera, 1_350, "maintain-resolution", false)).toBe("maintain-resolution");
    expect(cameraPreference(camera, 1_349, "maintain-resolution", false)).toBe("maintain-framerate");
    expect(cameraPreference(camera, 1_349, "maintain-framerate", false)).toBe("maintain-framerate");
    expect(cameraPreference(camera, 9_000, "maintain-resolution", true)).toBe("maintain-framerate");
    expect(cameraPreference(camera, undefined, "maintain-resolution", false)).toBe("maintain-framerate");
    expect(cameraPreference({ ...camera, active: false }, 9_000, undefined, false)).toBe("maintain-framerate");
  });

  it("compare encodings", () => {
    const a = encodingFor("camera", 400, 720);
    expect(sameEncoding(a, { ...a })).toBe(true);
    expect(sameEncoding(a, { ...a, maxFramerate: 15 })).toBe(false);
    expect(sameEncoding(a, undefined)).toBe(false);
  });
});
