/** A control: an icon with its word under it. The accessible name contains the visible word. */
import type { ComponentChildren, Ref } from "preact";
import type { IconName } from "../../ui/dom";
import { Icon } from "../../ui/Icon";
import type { Panel } from "../room/store";

export interface ControlProps {
  /** The visible word ("Chat"). */
  text: string;
  /** The accessible name when it says more ("Turn off the microphone"); must contain `text`. */
  label?: string;
  icon: IconName;
  pressed?: boolean;
  /** A look: "off" (red), "active" (blue), "rec" (red, recording), "leave". */
  tone?: "off" | "active" | "rec" | "leave";
  disabled?: boolean;
  panel?: Panel;
  shortcut?: string;
  /** The keys in words, shown in the tooltip ("Ctrl+D"). */
  keys?: string;
  popup?: boolean;
  expanded?: boolean;
  buttonRef?: Ref<HTMLButtonElement>;
  /** A count or a dot on the icon: `shown` on it (not read), `said` after the word in the name. */
  badge?: { shown: string; said: string };
  onClick: () => void;
  children?: ComponentChildren;
}

export function ControlButton(props: ControlProps) {
  return (
    <button
      ref={props.buttonRef}
      class={props.tone ? `ctl ctl-${props.tone}` : "ctl"}
      type="button"
      aria-label={props.label}
      title={props.keys ? `${props.label ?? props.text} (${props.keys})` : (props.label ?? props.text)}
      aria-pressed={props.pressed}
      aria-keyshortcuts={props.shortcut}
      aria-haspopup={props.popup ? "menu" : undefined}
      aria-expanded={props.popup ? !!props.expanded : undefined}
      data-panel={props.panel}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      <span class="ctl-icon">
        <Icon name={props.icon} />
      </span>
      <span class="ctl-text">
        {props.text}
        {props.badge ? <span class="sr-inline">{props.badge.said}</span> : null}
      </span>
      {props.badge ? (
        <span class={props.badge.shown ? "unread" : "unread dot"} aria-hidden="true">
          {props.badge.shown}
        </span>
      ) : null}
      {props.children}
    </button>
  );
}

/** The same action as an item of the "More" menu. */
export function MenuItem(props: ControlProps & { checkbox?: boolean }) {
  return (
    <button
      class="menu-item"
      type="button"
      role={props.checkbox ? "menuitemcheckbox" : "menuitem"}
      aria-checked={props.checkbox ? !!props.pressed : undefined}
      aria-label={props.label}
      data-panel={props.panel}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      <Icon name={props.icon} />
      <span>{props.text}</span>
    </button>
  );
}
