/** A check box with its note under it, the note read with it (the Devices dialog, the lobby). */
import "./settings.css";

export function Choice(props: {
  id: string;
  label: string;
  note: string;
  checked: boolean;
  disabled?: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <>
      <div class="field inline">
        <input
          id={props.id}
          type="checkbox"
          checked={props.checked}
          disabled={props.disabled}
          aria-describedby={`${props.id}-note`}
          onChange={(event) => props.onChange(event.currentTarget.checked)}
        />
        <label for={props.id}>{props.label}</label>
      </div>
      <p id={`${props.id}-note`} class="muted small settings-note">
        {props.note}
      </p>
    </>
  );
}
