/** The microphone or camera on/off button (the lobby and the controls). */
import { Icon } from "../../ui/Icon";

const KINDS = {
  microphone: { on: "mic", off: "micOff" },
  camera: { on: "cam", off: "camOff" },
} as const;

export function MediaToggle(props: {
  what: keyof typeof KINDS;
  on: boolean;
  onToggle: () => void;
  shortcut?: string;
  buttonRef?: preact.Ref<HTMLButtonElement>;
}) {
  const { what, on } = props;
  const label = on ? `Turn off the ${what}` : `Turn on the ${what}`;
  return (
    <button
      ref={props.buttonRef}
      class={on ? "btn-round" : "btn-round off"}
      type="button"
      aria-keyshortcuts={props.shortcut}
      aria-label={label}
      title={label}
      onClick={props.onToggle}
    >
      <Icon name={on ? KINDS[what].on : KINDS[what].off} />
    </button>
  );
}
