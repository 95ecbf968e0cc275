/** The whiteboard canvas (lazy-loaded): pen, colours, sizes, eraser, clear. */
import { clear, h, icon } from "../ui/dom";
import type { Board, BoardChange, Stroke } from "./board";

const COLORS = [
  ["#111111", "Black"],
  ["#d93025", "Red"],
  ["#1a73e8", "Blue"],
  ["#188038", "Green"],
  ["#f9ab00", "Yellow"],
  ["#9334e6", "Purple"],
] as const;
const SIZES = [
  [3, "Thin"],
  [6, "Medium"],
  [14, "Thick"],
] as const;
const SEND_INTERVAL_MS = 40;
/** Board aspect ratio (16:9): points are normalised on each axis. */
const ASPECT = 16 / 9;

export function mountWhiteboard(host: HTMLElement, board: Board): { destroy(): void } {
  let color: string = COLORS[0][0];
  let size: number = SIZES[1][0];
  let erasing = false;

  const canvas = h("canvas", {
    class: "board-canvas",
    role: "img",
    "aria-label": "Shared whiteboard. Draw with the mouse, a pen or a finger.",
    tabindex: "0",
  });
  const ctx = canvas.getContext("2d")!;

  const toolbar = h("div", { class: "board-toolbar", role: "toolbar", "aria-label": "Whiteboard tools" });
  const penButton = h("button", { class: "tool", type: "button", "aria-label": "Pen", "aria-pressed": "true" }, icon("pen"));
  const eraserButton = h("button", { class: "tool", type: "button", "aria-label": "Eraser", "aria-pressed": "false" }, icon("eraser"));
  const clearButton = h("button", { class: "btn btn-ghost btn-small", type: "button" }, icon("trash"), "Clear");
  const colorButtons = COLORS.map(([value, name]) => {
    const b = h("button", {
      class: "swatch",
      type: "button",
      "aria-label": `${name} pen`,
      "aria-pressed": String(value === color),
      dataset: { color: value },
    });
    b.style.setProperty("--swatch", value);
    b.addEventListener("click", () => {
      color = value;
      erasing = false;
      syncTools();
    });
    return b;
  });
  const sizeButtons = SIZES.map(([value, name]) => {
    const b = h("button", { class: "tool size", type: "button", "aria-label": `${name} line`, "aria-pressed": String(value === size) },
      h("span", { class: "dot", style: `--d:${4 + value}px` }),
    );
    b.addEventListener("click", () => {
      size = value;
      syncTools();
    });
    return { b, value };
  });
  const syncTools = () => {
    penButton.setAttribute("aria-pressed", String(!erasing));
    eraserButton.setAttribute("aria-pressed", String(erasing));
    colorButtons.forEach((b) => b.setAttribute("aria-pressed", String(!erasing && b.dataset.color === color)));
    sizeButtons.forEach(({ b, value }) => b.setAttribute("aria-pressed", String(value === size)));
    canvas.classList.toggle("erasing", erasing);
  };
  penButton.addEventListener("click", () => {
    erasing = false;
    syncTools();
  });
  eraserButton.addEventListener("click", () => {
    erasing = true;
    syncTools();
  });
  clearButton.addEventListener("click", () => {
    if (board.isEmpty || confirm("Clear the whiteboard for everyone?")) board.clear();
  });
  toolbar.append(penButton, eraserButton, h("span", { class: "sep" }), ...colorButtons, h("span", { class: "sep" }), ...sizeButtons.map((s) => s.b), h("span", { class: "spacer" }), clearButton);

  const frame = h("div", { class: "board-frame" }, canvas);
  const wrapper = h("div", { class: "whiteboard" }, toolbar, frame);
  clear(host);
  host.appendChild(wrapper);

  // ------------------------------------------------------------------ drawing

  const px = (v: number, total: number) => (v / 10000) * total;

  function drawStroke(stroke: Stroke, from = 0): void {
    const w = canvas.width;
    const hgt = canvas.height;
    ctx.save();
    ctx.globalCompositeOperation = stroke.erase ? "destination-out" : "source-over";
    ctx.strokeStyle = stroke.color;
    ctx.fillStyle = stroke.color;
    ctx.lineWidth = Math.max(1, (stroke.width / 1000) * w);
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    const pts = stroke.pts;
    const start = Math.max(0, from - (from % 2));
    if (pts.length - start <= 2) {
      ctx.beginPath();
      ctx.arc(px(pts[start], w), px(pts[start + 1], hgt), ctx.lineWidth / 2, 0, Math.PI * 2);
      ctx.fill();
    } else {
      ctx.beginPath();
      ctx.moveTo(px(pts[start], w), px(pts[start + 1], hgt));
      for (let i = start + 2; i < pts.length; i += 2) ctx.lineTo(px(pts[i], w), px(pts[i + 1], hgt));
      ctx.stroke();
    }
    ctx.restore();
  }

  function redraw(): void {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    for (const stroke of board.strokes.values()) drawStroke(stroke);
  }

  function resize(): void {
    const box = frame.getBoundingClientRect();
    let width = box.width;
    let height = width / ASPECT;
    if (height > box.height && box.height > 0) {
      height = box.height;
      width = height * ASPECT;
    }
    const dpr = window.devicePixelRatio || 1;
    canvas.style.width = `${Math.floor(width)}px`;
    canvas.style.height = `${Math.floor(height)}px`;
    canvas.width = Math.max(1, Math.floor(width * dpr));
    canvas.height = Math.max(1, Math.floor(height * dpr));
    redraw();
  }

  const observer = new ResizeObserver(resize);
  observer.observe(frame);
  resize();

  const off = board.on("change", (change: BoardChange) => {
    if (change.kind === "stroke") drawStroke(change.stroke, change.from);
    else redraw();
  });

  // ------------------------------------------------------------------ input

  let active: Stroke | null = null;
  let pending: number[] = [];
  let sendTimer: ReturnType<typeof setTimeout> | null = null;

  const point = (event: PointerEvent): [number, number] => {
    const rect = canvas.getBoundingClientRect();
    return [
      ((event.clientX - rect.left) / rect.width) * 10000,
      ((event.clientY - rect.top) / rect.height) * 10000,
    ];
  };
  const flush = () => {
    if (sendTimer) clearTimeout(sendTimer);
    sendTimer = null;
    if (active && pending.length) board.extend(active, pending);
    pending = [];
  };

  canvas.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    canvas.setPointerCapture(event.pointerId);
    const [x, y] = point(event);
    active = board.begin(color, erasing ? size * 3 : size, erasing, x, y);
    event.preventDefault();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!active) return;
    for (const e of event.getCoalescedEvents?.() ?? [event]) pending.push(...point(e));
    if (!sendTimer) sendTimer = setTimeout(flush, SEND_INTERVAL_MS);
  });
  const end = () => {
    flush();
    active = null;
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);

  return {
    destroy() {
      end();
      off();
      observer.disconnect();
      wrapper.remove();
    },
  };
}
