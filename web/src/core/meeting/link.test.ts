import { describe, expect, it } from "vitest";
import { reportsState } from "./link";

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
