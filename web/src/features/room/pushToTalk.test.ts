import { describe, expect, it } from "vitest";
import { PushToTalk, type Key } from "./pushToTalk";

function setup(on = false) {
  const changes: boolean[] = [];
  const mic = { on, isOn: () => mic.on, set: (v: boolean) => changes.push((mic.on = v)) };
  return { mic, changes, ptt: new PushToTalk(mic) };
}

const key = (over: Partial<Key> = {}): Key => ({ code: "Space", key: " ", ctrlKey: true, metaKey: false, altKey: false, shiftKey: false, repeat: false, ...over });

describe("PushToTalk", () => {
  it("turns a muted microphone on while Ctrl+Space is held, off when either is let go", () => {
    for (const letGo of [{ code: "Space", key: " " }, { code: "ControlLeft", key: "Control" }]) {
      const { changes, ptt } = setup();
      expect(ptt.down(key())).toBe(true);
      expect(ptt.down(key({ repeat: true }))).toBe(true);
      expect(ptt.active).toBe(true);
      ptt.up(letGo);
      expect(changes).toEqual([true, false]);
      expect(ptt.active).toBe(false);
    }
  });

  it("leaves other keys alone, Space alone and with other modifiers too", () => {
    const { changes, ptt } = setup();
    expect(ptt.down(key({ ctrlKey: false }))).toBe(false);
    expect(ptt.down(key({ shiftKey: true }))).toBe(false);
    expect(ptt.down(key({ code: "KeyD", key: "d" }))).toBe(false);
    ptt.up({ code: "KeyD", key: "d" });
    expect(changes).toEqual([]);
  });

  it("does nothing to a microphone already on, not even when let go", () => {
    const { changes, ptt } = setup(true);
    expect(ptt.down(key())).toBe(true);
    ptt.up({ code: "Space", key: " " });
    expect(changes).toEqual([]);
  });

  it("keeps off a microphone turned off by hand while held, and ends on losing focus", () => {
    const { mic, changes, ptt } = setup();
    ptt.down(key());
    mic.set(false); // Ctrl+D meanwhile
    ptt.release();
    expect(changes).toEqual([true, false]);
    ptt.down(key());
    ptt.release();
    ptt.up({ code: "Space", key: " " });
    expect(changes).toEqual([true, false, true, false]);
  });
});
