import { describe, expect, it } from "vitest";
import { ServerClock } from "./serverClock";

describe("ServerClock", () => {
  it("goes by the server's time once told, whatever the device's clock says", () => {
    const clock = new ServerClock();
    expect(clock.now(1_000)).toBe(1_000); // not told yet: the device's
    const hours = 2 * 3600_000; // a device two hours fast
    clock.set(10_000_000, 10_000_000 + hours);
    expect(clock.now(10_000_000 + hours + 5_000)).toBe(10_005_000);
    clock.set("soon", 0); // nothing usable: the offset stays
    clock.set(Number.NaN, 0);
    expect(clock.now(10_000_000 + hours)).toBe(10_000_000);
  });
});
