/**
 * "Background" in Devices (the lobby has it as a menu: BackgroundMenu.tsx): as it is, slightly
 * blurred, blurred, or a picture of one's own, done in this browser (core/meeting/background).
 * The picture is chosen from the device and kept here; "My picture" waits for one.
 */
import { useRef } from "preact/hooks";
import type { LocalMedia } from "../../core/meeting/media";
import { BACKGROUND_OPTIONS, FINDING_YOU, takePicture } from "./backgroundChoices";
import "./settings.css";

export function BackgroundField(props: { id: string; local: LocalMedia }) {
  const { local } = props;
  const { background } = local;
  const file = useRef<HTMLInputElement>(null);
  const note = `${props.id}-note`;
  if (!background.supported) {
    return (
      <fieldset class="background-field" disabled aria-describedby={note}>
        <legend>Background</legend>
        <p id={note} class="muted small">
          This browser cannot change the background (Chrome and Edge can).
        </p>
      </fieldset>
    );
  }
  const choice = background.choice.value;
  const picture = background.picture.value;
  return (
    <fieldset class="background-field" aria-describedby={note}>
      <legend>Background</legend>
      <div class="background-options">
        {BACKGROUND_OPTIONS.map((option) => (
          <label key={option.value} class="background-option">
            <input
              type="radio"
              name={props.id}
              value={option.value}
              checked={choice === option.value}
              disabled={option.value === "picture" && !picture}
              onChange={() => local.setBackground(option.value)}
            />
            {option.label}
          </label>
        ))}
      </div>
      <div class="background-picture">
        {picture ? <img class="background-thumb" src={picture} alt="" /> : null}
        <button type="button" class="btn btn-ghost btn-small" onClick={() => file.current?.click()}>
          {picture ? "Choose another picture" : "Choose a picture"}
        </button>
        {picture ? (
          <button type="button" class="btn btn-ghost btn-small" onClick={() => local.forgetPicture()}>
            Forget my picture
          </button>
        ) : null}
        <input ref={file} type="file" accept="image/*" hidden aria-label="Background picture" onChange={takePicture(local)} />
      </div>
      {background.status.value === "preparing" ? (
        <p class="muted small" role="status">
          {FINDING_YOU}
        </p>
      ) : null}
      <p id={note} class="muted small">
        Done on this device before your picture leaves it: nothing is sent anywhere to do it, and your own picture stays in
        this browser. Uses more of the processor.
      </p>
    </fieldset>
  );
}
