import { describe, expect, it } from "vitest";
import { ENDINGS, leavePlan, Lifecycle, rejoinFailure, serverEndedLegs, transition, type LifecycleEvent, type Phase } from "./lifecycle";

const PHASES: Phase[] = ["idle", "joining", "joined", "rejoining", "leaving", "left", "ended"];
const EVENTS: LifecycleEvent[] = ["join", "joined", "join-failed", "rejoin", "end", "leave", "left"];

describe("transition", () => {
  it("follows a join, a re-join and a leave", () => {
    const path: [LifecycleEvent, Phase][] = [
      ["join", "joining"],
      ["joined", "joined"],
      ["rejoin", "rejoining"],
      ["join-failed", "rejoining"],
      ["joined", "joined"],
      ["leave", "leaving"],
      ["left", "left"],
    ];
    let phase: Phase = "idle";
    for (const [event, expected] of path) {
      phase = transition(phase, event) ?? phase;
      expect(phase).toBe(expected);
    }
  });

  it("returns to idle when the first join fails (the password prompt joins again)", () => {
    expect(transition("joining", "join-failed")).toBe("idle");
    expect(transition("idle", "join")).toBe("joining");
  });

  it("ignores what does not apply", () => {
    expect(transition("idle", "rejoin")).toBeNull();
    expect(transition("joining", "rejoin")).toBeNull(); // only a live session re-joins
    expect(transition("rejoining", "rejoin")).toBeNull(); // one re-join at a time
    expect(transition("leaving", "end")).toBeNull(); // a leave is not an end
    expect(transition("ended", "join")).toBeNull();
  });

  it("never leaves the terminal phases", () => {
    for (const event of EVENTS) {
      expect([null, "left"]).toContain(transition("left", event));
      expect([null, "ended"]).toContain(transition("ended", event));
    }
  });

  it("lets every phase be left", () => {
    for (const phase of PHASES) expect(transition(phase, "leave")).not.toBeNull();
  });

  it("keeps a join that lands during the leave from reviving the session", () => {
    expect(transition("leaving", "joined")).toBe("leaving");
    expect(transition("leaving", "join-failed")).toBe("leaving");
  });
});

describe("leavePlan", () => {
  it("tells the server only when it may have us", () => {
    expect(leavePlan("joining")).toBe("tell-server");
    expect(leavePlan("joined")).toBe("tell-server");
    expect(leavePlan("rejoining")).toBe("tell-server");
    expect(leavePlan("idle")).toBe("nothing");
    expect(leavePlan("ended")).toBe("nothing");
    expect(leavePlan("left")).toBe("nothing");
  });
});

describe("Lifecycle", () => {
  it("records phases and answers live / over", () => {
    const lifecycle = new Lifecycle();
    expect(lifecycle.send("rejoin")).toBe(false);
    expect(lifecycle.send("join")).toBe(true);
    expect(lifecycle.live).toBe(false);
    lifecycle.send("joined");
    expect(lifecycle.live).toBe(true);
    expect(lifecycle.over).toBe(false);
    lifecycle.send("end");
    expect(lifecycle.over).toBe(true);
    expect(lifecycle.phase.value).toBe("ended");
    expect(lifecycle.history).toEqual(["idle", "joining", "joined", "ended"]);
  });
});

describe("rejoinFailure", () => {
  it("ends the session for answers a retry cannot change", () => {
    expect(rejoinFailure("failed-precondition", "meeting-ended")?.reason).toBe("meeting-ended");
    expect(rejoinFailure("not-found", undefined)?.message).toBe("This meeting no longer exists.");
    expect(rejoinFailure("resource-exhausted", "meeting-full")?.reason).toBe("meeting-full");
    expect(rejoinFailure("failed-precondition", "removed")?.message).toBe("A host removed you from the meeting.");
    expect(rejoinFailure("permission-denied", "knock-required")?.reason).toBe("removed");
    expect(rejoinFailure("failed-precondition", "meeting-locked")?.reason).toBe("meeting-locked");
  });

  it("retries the others", () => {
    expect(rejoinFailure("unavailable", "contended")).toBeNull();
    expect(rejoinFailure("internal", undefined)).toBeNull();
    expect(rejoinFailure("resource-exhausted", "too-many-attempts")).toBeNull();
  });
});

describe("serverEndedLegs", () => {
  it("sends no reports once a host put us out or the meeting is gone (the server ended the legs)", () => {
    expect(serverEndedLegs(ENDINGS.removed)).toBe(true);
    expect(serverEndedLegs(ENDINGS["meeting-ended"])).toBe(true);
    expect(serverEndedLegs(ENDINGS["meeting-gone"])).toBe(true);
    expect(serverEndedLegs(ENDINGS["joined-elsewhere"])).toBe(false);
    expect(serverEndedLegs(ENDINGS["meeting-full"])).toBe(false);
  });
});
