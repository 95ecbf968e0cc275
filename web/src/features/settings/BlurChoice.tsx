import { blurSupported } from "../../core/meeting/blur/backgroundBlur";
import type { LocalMedia } from "../../core/meeting/media";
import { Choice } from "./Choice";

/** Background blur, where the browser can do it (it needs Chromium's insertable streams). */
export function BlurChoice(props: { id: string; local: LocalMedia }) {
  const supported = blurSupported();
  return (
    <Choice
      id={props.id}
      label="Blur my background"
      note={
        supported
          ? "Done on this device before your picture leaves it: nothing is sent anywhere to do it. Uses more of the processor."
          : "This browser cannot blur the background (Chrome and Edge can)."
      }
      checked={supported && props.local.blur.value}
      disabled={!supported}
      onChange={(on) => props.local.setBlur(on)}
    />
  );
}
