/**
 * The lobby's background button, on the preview beside the microphone and camera (as Meet's
 * effects): a menu of the choices and "Choose a picture…". The Devices dialog offers the same as
 * a group (BackgroundField.tsx). Kept off the lobby's form, which must show "Join now" on a phone.
 */
import { useCallback, useRef, useState } from "preact/hooks";
import type { LocalMedia } from "../../core/meeting/media";
import { Icon } from "../../ui/Icon";
import { Popover } from "../controls/Popover";
import "../controls/controls.css";
import { BACKGROUND_OPTIONS, FINDING_YOU, takePicture } from "./backgroundChoices";
import "./settings.css";

export function BackgroundMenu({ local }: { local: LocalMedia }) {
  const { background } = local;
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const file = useRef<HTMLInputElement>(null);
  // One function for the menu's life (Popover starts again, focus and all, for a new one); the
  // focus goes back to the button, as the item that had it goes.
  const close = useCallback(() => {
    setOpen(false);
    button.current?.focus();
  }, []);
  if (!background.supported) return null; // Devices says why
  const choice = background.choice.value;
  const picture = background.picture.value;
  const now = BACKGROUND_OPTIONS.find((option) => option.value === choice)?.label ?? "";
  const choose = (act: () => void) => () => {
    act();
    close();
  };
  return (
    <div class="background-menu">
      <button
        ref={button}
        class={choice === "none" ? "btn-round" : "btn-round on"}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`Background: ${now.toLowerCase()}`}
        title={`Background: ${now.toLowerCase()}`}
        onClick={() => setOpen(!open)}
      >
        <Icon name="sparkles" />
      </button>
      {open ? (
        <Popover label="Background" onClose={close} anchor={button}>
          {BACKGROUND_OPTIONS.map((option) => (
            <button
              key={option.value}
              class="menu-item"
              type="button"
              role="menuitemradio"
              aria-checked={choice === option.value}
              disabled={option.value === "picture" && !picture}
              onClick={choose(() => local.setBackground(option.value))}
            >
              {option.label}
            </button>
          ))}
          <button class="menu-item" type="button" role="menuitem" onClick={choose(() => file.current?.click())}>
            {picture ? "Choose another picture…" : "Choose a picture…"}
          </button>
        </Popover>
      ) : null}
      <input ref={file} type="file" accept="image/*" hidden aria-label="Background picture" onChange={takePicture(local)} />
      {background.status.value === "preparing" ? (
        <p class="background-finding" role="status">
          {FINDING_YOU}
        </p>
      ) : null}
    </div>
  );
}
