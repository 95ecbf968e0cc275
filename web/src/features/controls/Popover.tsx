/** A menu that pops up from a control: focus moves in, arrows move, Escape and outside clicks close it. */
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

export function Popover(props: { label: string; onClose: () => void; class?: string; children: ComponentChildren }) {
  const root = useRef<HTMLDivElement>(null);
  const { onClose } = props;
  useEffect(() => {
    const el = root.current;
    const items = () => [...(el?.querySelectorAll<HTMLElement>("[role^=menuitem]:not([disabled])") ?? [])];
    items()[0]?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        onClose();
        return;
      }
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
    document.addEventListener("click", onClick, true);
    return () => {
      el?.removeEventListener("keydown", onKey);
      document.removeEventListener("click", onClick, true);
    };
  }, [onClose]);
  return (
    <div ref={root} class={props.class ? `menu popover ${props.class}` : "menu popover"} role="menu" aria-label={props.label}>
      {props.children}
    </div>
  );
}
