import { describe, expect, it } from "vitest";
import { roomTitle } from "./title";

describe("roomTitle", () => {
  it("is the meeting's title, or Meeting", () => {
    expect(roomTitle("Stand-up", 0, 0)).toBe("Stand-up · AVMeets");
    expect(roomTitle(null, 0, 0)).toBe("Meeting · AVMeets");
    expect(roomTitle("", 0, 0)).toBe("Meeting · AVMeets");
  });

  it("puts people waiting to join and unread messages first", () => {
    expect(roomTitle("Stand-up", 2, 0)).toBe("(2 waiting) Stand-up · AVMeets");
    expect(roomTitle("Stand-up", 0, 3)).toBe("(3 new) Stand-up · AVMeets");
    expect(roomTitle("Stand-up", 1, 3)).toBe("(1 waiting, 3 new) Stand-up · AVMeets");
  });
});
