import { describe, expect, it } from "vitest";
import { parseJsonObject } from "./channelJson";

describe("parseJsonObject", () => {
  it("gives a JSON object", () => {
    expect(parseJsonObject('{"t":"hand","up":true}')).toEqual({ t: "hand", up: true });
    expect(parseJsonObject("{}")).toEqual({});
  });

  it("gives null for anything else a peer may send", () => {
    for (const bad of ["", "not json", "{", "null", "5", '"text"', "true", "[]", '[{"t":"clear"}]']) {
      expect(parseJsonObject(bad)).toBeNull();
    }
  });
});
