import { describe, expect, it } from "vitest";
import { cardFace } from "./pipCard";
import { hue } from "./tileInfo";

describe("the picture-in-picture card", () => {
  it("shows the initials and name in the tile's colour", () => {
    expect(cardFace("bob-uid", "Bob Builder")).toEqual({ initials: "BB", name: "Bob Builder", colour: `hsl(${hue("bob-uid")} 45% 32%)` });
  });
});
