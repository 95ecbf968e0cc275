/** A menu that pops up from a control: focus moves in, arrows move, Escape and outside clicks close it.
 * With an `anchor` (its button) it is fixed to the window beside it, so that a clipping parent
 * (the lobby's preview) does not cut it. */
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { useAnchoredMenu } from "../../ui/anchoredMenu";

const NO_ANCHOR = { current: null };

export function Popover(props: {
  label: string;
  onClose: () => void;
  class?: string;
  anchor?: { readonly current: HTMLElement | null };
  children: ComponentChildren;
}) {
  const root = useRef<HTMLDivElement>(null);
  const { onClose } = props;
  useAnchoredMenu(!!props.anchor, props.anchor ?? NO_ANCHOR, root);
  useEffect(() => {
    const el = root.current;
    const items = () => [...(el?.querySelectorAll<HTMLElement>("[role^=menuitem]:not([disabled])") ?? [])];
    items()[0]?.focus();
    // Escape closes the menu wherever the focus went meanwhile (a page that moved it, such as
    // the lobby's form once the meeting's details arrive), and only the menu.
    const onEscape = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      event.stopPropagation();
      onClose();
    };
    const onKey = (event: KeyboardEvent) => {
      const list = items();
      const at = list.indexOf(document.activeElement as HTMLElement);
      const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
      if (step && list.length) {
        event.preventDefault();
        list[(at + step + list.length) % list.length].focus();
      }
    };
    const onClick = (event: MouseEvent) => {
      if (el && !el.contains(event.target as Node) && !el.parentElement?.contains(event.target as Node)) onClose();
    };
    el?.addEventListener("keydown", onKey);
    document.addEventListener("keydown", onEscape, true);
    document.addEventListener("click", onClick, true);
    return () => {
      el?.removeEventListener("keydown", onKey);
      document.removeEventListener("keydown", onEscape, true);
      document.removeEventListener("click", onClick, true);
    };
  }, [onClose]);
  return (
    <div ref={root} class={["menu popover", props.anchor ? "anchored" : "", props.class ?? ""].filter(Boolean).join(" ")} role="menu" aria-label={props.label}>
      {props.children}
    </div>
  );
}
