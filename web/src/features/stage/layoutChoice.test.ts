import { describe, expect, it } from "vitest";
import { layoutChoiceOf } from "./layoutChoice";

describe("layoutChoiceOf", () => {
  it("reads back a known choice, and anything else as auto", () => {
    expect(layoutChoiceOf("tiled")).toBe("tiled");
    expect(layoutChoiceOf("speaker")).toBe("speaker");
    for (const odd of [null, "", "grid", "toString", 3]) expect(layoutChoiceOf(odd)).toBe("auto");
  });
});
