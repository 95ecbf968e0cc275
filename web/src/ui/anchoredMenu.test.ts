import { describe, expect, it } from "vitest";
import { placeMenu } from "./anchoredMenu";

const view = { width: 1280, height: 800 };
const menu = { width: 240, height: 120 };
const button = (left: number, top: number) => ({ left, top, right: left + 32, bottom: top + 32 });

describe("placeMenu", () => {
  it("opens under the button, its right edge on the button's", () => {
    expect(placeMenu(button(800, 100), menu, view)).toEqual({ left: 832 - 240, top: 136 });
  });

  it("stays inside the window on the left and on the right", () => {
    expect(placeMenu(button(20, 100), menu, view).left).toBe(8);
    expect(placeMenu(button(1270, 100), menu, { ...view, width: 1290 }).left).toBe(1290 - 8 - 240);
  });

  it("opens above the button when there is no room below", () => {
    expect(placeMenu(button(800, 700), menu, view).top).toBe(700 - 4 - 120);
    // No room above either: as low as fits.
    expect(placeMenu(button(800, 60), menu, { width: 1280, height: 200 }).top).toBe(200 - 8 - 120);
  });
});
