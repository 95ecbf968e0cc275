/**
 * What the floating window shows of someone whose camera is off: their initials in their colour
 * and their name, as on their tile, drawn on a canvas whose stream the window plays (a video
 * element can only show a stream, and a camera that is off sends black or nothing).
 */
import { hue, initials } from "./tileInfo";

const WIDTH = 640;
const HEIGHT = 360;

/** What a card shows. Pure. */
export function cardFace(uid: string, name: string): { initials: string; name: string; colour: string } {
  return { initials: initials(name), name, colour: `hsl(${hue(uid)} 45% 32%)` };
}

export class NameCard {
  private readonly canvas = document.createElement("canvas");
  private drawn = "";
  /** One stream for the card's life: the window keeps playing it as the face changes. */
  readonly stream: MediaStream;

  constructor() {
    this.canvas.width = WIDTH;
    this.canvas.height = HEIGHT;
    this.stream = this.canvas.captureStream();
  }

  /** Draw `name`'s card (nothing to do when it already shows it); returns the stream. */
  show(uid: string, name: string): MediaStream {
    const key = `${uid}\n${name}`;
    if (this.drawn === key) return this.stream;
    this.drawn = key;
    const face = cardFace(uid, name);
    const g = this.canvas.getContext("2d");
    if (!g) return this.stream;
    g.fillStyle = "#1b1f27";
    g.fillRect(0, 0, WIDTH, HEIGHT);
    g.fillStyle = face.colour;
    g.beginPath();
    g.arc(WIDTH / 2, HEIGHT / 2 - 30, 80, 0, 2 * Math.PI);
    g.fill();
    g.fillStyle = "#fff";
    g.textAlign = "center";
    g.textBaseline = "middle";
    g.font = "700 64px system-ui, sans-serif";
    g.fillText(face.initials, WIDTH / 2, HEIGHT / 2 - 30);
    g.font = "500 32px system-ui, sans-serif";
    g.fillText(face.name, WIDTH / 2, HEIGHT - 50, WIDTH - 40);
    // A canvas stream sends a frame when the canvas changes; ask for one, where the browser can.
    (this.stream.getVideoTracks()[0] as { requestFrame?: () => void } | undefined)?.requestFrame?.();
    return this.stream;
  }

  stop(): void {
    for (const track of this.stream.getTracks()) track.stop();
  }
}
