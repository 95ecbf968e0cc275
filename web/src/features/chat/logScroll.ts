/**
 * The chat log's scrolling: it follows the newest message while the person is at the end of it,
 * and stays where they are while they read further up, counting what came meanwhile (the panel
 * offers to jump down). One's own message always brings the end into view.
 */
import type { RefObject } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";

/** How near the end (CSS pixels) still counts as at the end. */
export const END_SLACK_PX = 48;

/** Whether a box scrolled to `top` shows its end. Pure. */
export function nearEnd(scrollHeight: number, top: number, clientHeight: number, slack = END_SLACK_PX): boolean {
  return scrollHeight - top - clientHeight <= slack;
}

/** `count` messages, the last ours or not; `roomAbove` changes when something above the log
 * (the pinned message) takes or gives room. Returns how many came while the person read further
 * up, a jump to the end, and the log's scroll handler. */
export function useLogScroll(log: RefObject<HTMLElement>, count: number, lastMine: boolean, roomAbove: unknown) {
  const atEnd = useRef(true);
  const seen = useRef(count);
  const [unseen, setUnseen] = useState(0);
  const toEnd = () => {
    const box = log.current;
    if (box) box.scrollTop = box.scrollHeight;
    atEnd.current = true;
    seen.current = count;
    setUnseen(0);
  };
  useLayoutEffect(() => {
    if (atEnd.current || lastMine) toEnd();
    else setUnseen(Math.max(0, count - seen.current));
  }, [count, roomAbove]);
  const onScroll = () => {
    const box = log.current;
    if (!box) return;
    atEnd.current = nearEnd(box.scrollHeight, box.scrollTop, box.clientHeight);
    if (atEnd.current) {
      seen.current = count;
      setUnseen(0);
    }
  };
  return { unseen, toEnd, onScroll };
}
