/** Parts of a tile: the quality bars (details on demand), the tile's menu, floating reactions. */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Quality } from "../../core/meeting/quality";
import { useAnchoredMenu } from "../../ui/anchoredMenu";
import { Icon } from "../../ui/Icon";
import { REACTION_NAMES } from "../gestures/gestures";
import { runsMeeting } from "../hosts/controls";
import type { RoomSession } from "../room/session";
import type { RoomUi } from "../room/store";

/** Four bars; a button that opens the connection's details. */
export function QualityBars(props: { quality: Quality; name: string; onOpen: () => void }) {
  const { bars, label } = props.quality;
  return (
    <button
      class={`tile-bars bars-${bars}`}
      type="button"
      data-bars={String(bars)}
      aria-label={`Connection with ${props.name}: ${label}. Details`}
      title={`Connection: ${label}`}
      onClick={props.onOpen}
    >
      <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
        {[1, 2, 3, 4].map((n) => (
          <rect key={n} x={(n - 1) * 4 + 0.5} y={16 - n * 4} width="3" height={n * 4} rx="1" class={n <= bars ? "on" : "off"} />
        ))}
      </svg>
    </button>
  );
}

/** A menu button: pin, mute or adjust the volume for me, and for a host or co-host spotlight for everyone (and end either). */
export function TileMenu(props: { uid: string; name: string; session: RoomSession; ui: RoomUi; sharing: boolean }) {
  const { uid, name, session, ui } = props;
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const first = useRef<HTMLButtonElement>(null);
  useAnchoredMenu(open, button, list);
  useEffect(() => {
    if (!open) return;
    first.current?.focus();
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent && event.key !== "Escape") return;
      if (event instanceof MouseEvent && root.current?.contains(event.target as Node)) return;
      setOpen(false);
    };
    document.addEventListener("keydown", close);
    document.addEventListener("click", close);
    return () => {
      document.removeEventListener("keydown", close);
      document.removeEventListener("click", close);
    };
  }, [open]);
  const pinned = ui.pinned.value;
  const spotlight = session.gestures.spotlight.value;
  const act = (action: () => void) => () => {
    action();
    setOpen(false);
  };
  const cameraPinned = pinned?.kind === "camera" && pinned.uid === uid;
  const screenPinned = pinned?.kind === "screen" && pinned.uid === uid;
  const items: [string, () => void][] = [
    [cameraPinned ? `Unpin ${name}` : `Pin ${name} for me`, () => ui.togglePin({ kind: "camera", uid })],
  ];
  items.push([ui.mutedForMe.value.has(uid) ? `Unmute ${name} for me` : `Mute ${name} for me`, () => ui.toggleMutedForMe(uid)]);
  items.push([`Adjust ${name}'s volume for me`, () => (ui.dialog.value = { kind: "volume", uid })]);
  if (props.sharing) items.push([screenPinned ? `Unpin ${name}'s screen` : `Pin ${name}'s screen for me`, () => ui.togglePin({ kind: "screen", uid })]);
  // Everyone's stage is the hosts' to set, as the receivers enforce (gestures.ts).
  if (runsMeeting(session.hosting.myRole.value)) {
    items.push(
      spotlight?.uid === uid
        ? ["End the spotlight", () => session.gestures.setSpotlight(null)]
        : [`Spotlight ${name} for everyone`, () => session.gestures.setSpotlight(uid)],
    );
  }
  return (
    <div class="tile-menu" ref={root}>
      <button
        ref={button}
        class="btn-icon tile-menu-button"
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`Options for ${name}`}
        onClick={() => setOpen(!open)}
      >
        <Icon name="more" />
      </button>
      {open ? (
        <div ref={list} class="menu" role="menu" aria-label={`Options for ${name}`}>
          {items.map(([label, action], i) => (
            <button key={label} ref={i === 0 ? first : undefined} class="menu-item" role="menuitem" type="button" onClick={act(action)}>
              {label}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/** The reactions of `uid` floating up over its tile (announced apart: this is the picture). */
export function TileReactions(props: { uid: string; session: RoomSession }) {
  const mine = props.session.gestures.reactions.value.filter((r) => r.uid === props.uid);
  if (!mine.length) return null;
  return (
    <div class="tile-reactions" aria-hidden="true">
      {mine.map((r) => (
        <span key={r.id} class="reaction" data-emoji={r.emoji} title={REACTION_NAMES[r.emoji]}>
          {r.emoji}
        </span>
      ))}
    </div>
  );
}
