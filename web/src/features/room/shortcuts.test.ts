import { describe, expect, it } from "vitest";
import { BOARD_SHORTCUTS } from "../whiteboard/keys";
import { ctrlAltLetter, SHORTCUTS, typing } from "./shortcuts";

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
  it("lists each key once, the room's and the whiteboard's", () => {
    for (const list of [SHORTCUTS, BOARD_SHORTCUTS]) {
      const keys = list.map((s) => s.keys);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });
});

describe("ctrlAltLetter", () => {
  const key = (more: Partial<KeyboardEvent>) =>
    ({ ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, code: "KeyH", target: null, ...more }) as KeyboardEvent;

  it("reads Ctrl+Alt, or Cmd+Ctrl on a Mac, with a letter by its place", () => {
    expect(ctrlAltLetter(key({ ctrlKey: true, altKey: true }))).toBe("h");
    expect(ctrlAltLetter(key({ ctrlKey: true, metaKey: true, code: "KeyC" }))).toBe("c");
  });

  it("is nothing with another mix, a digit, or while typing (AltGr is Ctrl+Alt on Windows)", () => {
    expect(ctrlAltLetter(key({ ctrlKey: true }))).toBeNull();
    expect(ctrlAltLetter(key({ altKey: true }))).toBeNull();
    expect(ctrlAltLetter(key({ ctrlKey: true, altKey: true, shiftKey: true }))).toBeNull();
    expect(ctrlAltLetter(key({ ctrlKey: true, altKey: true, code: "Digit1" }))).toBeNull();
    expect(ctrlAltLetter(key({ ctrlKey: true, altKey: true, target: { tagName: "TEXTAREA" } as unknown as EventTarget }))).toBeNull();
  });
});
