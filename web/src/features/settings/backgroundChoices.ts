/** The background's choices as the lobby's menu and the Devices dialog offer them. */
import type { BackgroundChoice } from "../../core/meeting/background/geometry";
import type { LocalMedia } from "../../core/meeting/media";

export const BACKGROUND_OPTIONS: readonly { value: BackgroundChoice; label: string }[] = [
  { value: "none", label: "As it is" },
  { value: "slight", label: "Slightly blurred" },
  { value: "blur", label: "Blurred" },
  { value: "picture", label: "My picture" },
];

export const FINDING_YOU = "Finding you in the picture… (until then, all of it is blurred)";

/** A file input's change: its picture becomes the background. */
export function takePicture(local: LocalMedia) {
  return (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const first = input.files?.[0];
    input.value = ""; // the same file chosen again is a change too
    if (first) void local.choosePicture(first);
  };
}
