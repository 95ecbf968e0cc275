// The initials' fills are hsl(hue 45% L) for a hue from the uid: every hue must keep the white
// initials readable (WCAG AA, 4.5:1), not only the hues a test run happens to draw.
/// <reference types="node" />
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// Read as files: vitest hands style sheets to tests empty, even with ?raw.
const sheet = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");
const styles = sheet("../styles.css");
const stage = sheet("../features/stage/stage.css");

function channel(v: number): number {
  return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return [f(0), f(8), f(4)];
}

function contrastWithWhite(rgb: [number, number, number]): number {
  const [r, g, b] = rgb.map(channel);
  return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05);
}

describe("initials' fills", () => {
  const fills = [...(styles + stage).matchAll(/hsl\(var\(--hue, \d+\) (\d+)% (\d+)%\)/g)];

  it("are found in both style sheets", () => {
    expect(fills.length).toBe(2);
  });

  it("keep white initials at 4.5:1 for every hue", () => {
    for (const [, s, l] of fills) {
      let worst = Infinity;
      for (let hue = 0; hue < 360; hue++) worst = Math.min(worst, contrastWithWhite(hslToRgb(hue, Number(s) / 100, Number(l) / 100)));
      expect(worst).toBeGreaterThanOrEqual(4.5);
    }
  });
});
