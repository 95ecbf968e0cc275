import { describe, expect, it } from "vitest";
import { pipSubject } from "./pictureInPicture";

describe("pipSubject", () => {
  const grid = { main: null, reason: "grid" as const, order: ["me", "a", "b"], hidden: 0 };
  const present = ["me", "a", "b"];

  it("shows what the stage shows: a presentation, a pinned or spotlighted camera", () => {
    expect(pipSubject({ ...grid, main: { kind: "screen", uid: "b" }, reason: "presenting" }, "a", present, "me")).toEqual({ kind: "screen", uid: "b" });
    expect(pipSubject({ ...grid, main: { kind: "camera", uid: "b" }, reason: "pinned" }, "a", present, "me")).toEqual({ kind: "camera", uid: "b" });
  });

  it("else the last speaker still here, else the first other person", () => {
    expect(pipSubject(grid, "b", present, "me")).toEqual({ kind: "camera", uid: "b" });
    expect(pipSubject(grid, "gone", present, "me")).toEqual({ kind: "camera", uid: "a" });
    expect(pipSubject({ ...grid, main: { kind: "board" }, reason: "board" }, null, present, "me")).toEqual({ kind: "camera", uid: "a" });
  });

  it("alone, our own camera", () => {
    expect(pipSubject(grid, null, ["me"], "me")).toEqual({ kind: "camera", uid: "me" });
    expect(pipSubject(grid, null, [], "me")).toBeNull();
  });
});
