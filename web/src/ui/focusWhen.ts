/**
 * A ref that focuses its element when `when` turns true (and on mount if it is true then), and
 * never again until it turns true anew. An inline callback ref (`ref={(b) => b?.focus()}`) is
 * called again on every render, so a confirmation that re-renders (the people panel's rows do
 * with every stats update) pulls focus back from wherever the person had moved, such as its
 * Cancel button. Every focusing ref of the app goes through here.
 */
import type { RefObject } from "preact";
import { useEffect, useRef } from "preact/hooks";

export function useFocusWhen<T extends HTMLElement>(when: boolean): RefObject<T> {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (when) ref.current?.focus();
  }, [when]);
  return ref;
}
