import { describe, expect, it } from "vitest";
import frameSource from "../../../public/analytics/frame.js?raw";
import { ROUTES, routeOf } from "./routes";

describe("routeOf", () => {
  it("names routes, never meeting codes", () => {
    expect(routeOf("/")).toBe("/");
    expect(routeOf("/m/abc-defg-hij")).toBe("/m/:meeting");
    expect(routeOf("/m/abc-defg-hij/")).toBe("/m/:meeting");
    expect(routeOf("/m/ABC%20DEFG%20HIJ")).toBe("/m/:meeting");
    expect(routeOf("/privacy")).toBe("/privacy");
    expect(routeOf("/my-data/")).toBe("/my-data");
    expect(routeOf("/abc-defg-hij")).toBe("/other");
    expect(routeOf("/m/abc-defg-hij/extra")).toBe("/other");
  });

  it("only ever yields the names the analytics frame accepts", () => {
    const block = /var ROUTES = \{([^}]*)\}/.exec(frameSource)?.[1] ?? "";
    const accepted = [...block.matchAll(/"([^"]+)":/g)].map((m) => m[1]);
    expect(accepted.sort()).toEqual([...ROUTES].sort());
  });
});
