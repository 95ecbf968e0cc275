/**
 * A modal <dialog>: opened on mount, reported closed (Escape or its form's button) once. When it
 * goes, focus returns to what opened it, or (an item of a menu that is gone) to the menu's button.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

export function Dialog(props: { labelledBy: string; onClose: () => void; children: ComponentChildren }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (el && !el.open) el.showModal();
    return () => {
      el?.close();
      requestAnimationFrame(() => restoreFocus(opener));
    };
  }, []);
  return (
    <dialog ref={dialog} class="dialog" aria-labelledby={props.labelledBy} onClose={props.onClose}>
      {props.children}
    </dialog>
  );
}

function restoreFocus(opener: HTMLElement | null): void {
  const active = document.activeElement;
  if (active && active !== document.body && active.isConnected) return;
  const target = opener?.isConnected ? opener : document.querySelector<HTMLElement>(".controls button[aria-haspopup]");
  target?.focus();
}

export function CloseButton({ text }: { text: string }) {
  return (
    <form method="dialog">
      <button class="btn btn-primary" type="submit">
        {text}
      </button>
    </form>
  );
}
