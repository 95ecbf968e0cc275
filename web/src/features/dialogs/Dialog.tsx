/** A modal <dialog>: opened on mount, reported closed (Escape or its form's button) once. */
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

export function Dialog(props: { labelledBy: string; onClose: () => void; children: ComponentChildren }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
    return () => el?.close();
  }, []);
  return (
    <dialog ref={dialog} class="dialog" aria-labelledby={props.labelledBy} onClose={props.onClose}>
      {props.children}
    </dialog>
  );
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
