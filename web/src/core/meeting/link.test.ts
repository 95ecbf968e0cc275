import { describe, expect, it } from "vitest";
import { connectionStateOf, reportsState } from "./link";

describe("reportsState", () => {
  it("leaves the first connecting to the server (the offer or the answer recorded it)", () => {
    expect(reportsState("connecting", false)).toBe(false);
  });

  it("reports a later connecting (an ICE restart, a retry after a failure)", () => {
    expect(reportsState("connecting", true)).toBe(true);
  });

  it("reports a disconnection, and never closed (close() reports it with its stats)", () => {
    expect(reportsState("disconnected", false)).toBe(true);
    expect(reportsState("disconnected", true)).toBe(true);
    expect(reportsState("closed", true)).toBe(false);
  });
});

describe("connectionStateOf", () => {
  it("is connected once the DTLS transport is, over a connected ICE transport", () => {
    expect(connectionStateOf("connecting", "connected", "connected")).toBe("connected");
    expect(connectionStateOf("new", "connected", "completed")).toBe("connected");
    expect(connectionStateOf("connected", "connected", "connected")).toBe("connected");
  });

  it("is the connection's own while the transport is not there yet", () => {
    expect(connectionStateOf("connecting", "connecting", "connected")).toBe("connecting");
    expect(connectionStateOf("connecting", null, null)).toBe("connecting");
    // An ICE restart checks candidates again over a DTLS session that stays up.
    expect(connectionStateOf("connecting", "connected", "checking")).toBe("connecting");
  });

  it("never hides a worse state of the connection", () => {
    for (const state of ["disconnected", "failed", "closed"] as const) {
      expect(connectionStateOf(state, "connected", "connected")).toBe(state);
    }
  });
});
