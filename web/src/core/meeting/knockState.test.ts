import { describe, expect, it } from "vitest";
import { stepForKnock, stepForResult } from "./knockState";

describe("knocking", () => {
  it("follows our own knock document", () => {
    expect(stepForKnock("waiting")).toBe("wait");
    expect(stepForKnock(null)).toBe("wait");
    expect(stepForKnock("admitted")).toBe("join");
    expect(stepForKnock("denied")).toBe("denied");
    expect(stepForKnock("ended")).toBe("ended");
    expect(stepForKnock("withdrawn")).toBe("knock");
    expect(stepForKnock("something new")).toBe("wait");
  });

  it("joins at once when knock says nothing stands in the way", () => {
    expect(stepForResult({ state: "admitted", heartbeatSeconds: 20 })).toBe("join");
    expect(stepForResult({ state: "waiting", heartbeatSeconds: 20 })).toBe("wait");
  });
});
