import { describe, expect, it } from "vitest";
import { SHORTCUTS, typing } from "./shortcuts";

describe("typing", () => {
  it("is true in a message box, a text field or editable text", () => {
    expect(typing({ tagName: "TEXTAREA" } as unknown as EventTarget)).toBe(true);
    expect(typing({ tagName: "INPUT", type: "text" } as unknown as EventTarget)).toBe(true);
    expect(typing({ tagName: "INPUT", type: "password" } as unknown as EventTarget)).toBe(true);
    expect(typing({ tagName: "DIV", isContentEditable: true } as unknown as EventTarget)).toBe(true);
  });

  it("is false on buttons, check boxes, the page itself and nothing", () => {
    expect(typing({ tagName: "BUTTON" } as unknown as EventTarget)).toBe(false);
    expect(typing({ tagName: "INPUT", type: "checkbox" } as unknown as EventTarget)).toBe(false);
    expect(typing({ tagName: "BODY" } as unknown as EventTarget)).toBe(false);
    expect(typing(null)).toBe(false);
  });
});

describe("SHORTCUTS", () => {
  it("lists each key once", () => {
    const keys = SHORTCUTS.map((s) => s.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
