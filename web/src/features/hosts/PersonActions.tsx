/**
 * A host's actions on one person in the people panel: ask to mute or unmute, to turn the camera
 * off or on (requests: the person decides), let a participant do what is turned off for participants all
 * the same (a raised hand given the floor), make or unmake a co-host, remove (confirmed first). A
 * disclosure button opens them; each is a button in the tab order. Choosing one closes them at
 * once, as a menu does, and puts focus back on the disclosure button: a host action's answer may
 * take seconds, and a menu that shut itself when it came would shut under a host already using
 * it again. Escape closes them too (and only them: the panel they are in stays open), as does
 * cancelling a removal; however they close, a removal not confirmed is dropped.
 */
import { useRef, useState } from "preact/hooks";
import type { HostActionName, HostPermission, ParticipantRole } from "../../protocol.gen";
import type { Ask } from "./asks";
import { useFocusWhen } from "../../ui/focusWhen";
import { actionLabel, personActions, type PersonAction } from "./controls";
import type { Hosting } from "./hosting";
import { permitLabel } from "./permissions";

/** The request each asking action sends. */
const ASK_OF: Partial<Record<PersonAction, Ask>> = { "ask-mute": "mute", "ask-video-off": "video-off", "ask-unmute": "unmute", "ask-video-on": "video-on" };

export function PersonActions(props: {
  hosting: Hosting;
  uid: string;
  name: string;
  role: ParticipantRole;
  /** What a host already lets them do all the same. */
  permitted: readonly HostPermission[];
  media: { audio: boolean; video: boolean };
  /** Their hand is up; `lowerHand` lowers it (a request their page carries out). */
  handUp: boolean;
  lowerHand: () => void;
}) {
  const { hosting, uid, name } = props;
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  // "Remove" takes focus when the confirmation opens, and only then (the row re-renders with
  // every stats update).
  const confirm = useFocusWhen<HTMLButtonElement>(confirming);
  const me = { uid: hosting.myUid, role: hosting.myRole.value };
  const actions = personActions(me, { uid, role: props.role }, props.media, hosting.heldOf(uid), props.handUp);
  if (!actions.length) return null;
  // Only what is turned off for participants can be let, and only to a participant.
  const permits = props.role === "participant" ? hosting.switches.value.restricted : [];
  const close = () => {
    setOpen(false);
    setConfirming(false);
    toggle.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Escape" || !open) return;
    event.stopPropagation(); // the room's Escape would close the whole panel
    close();
  };
  const run = (action: PersonAction) => {
    if (action === "remove") return setConfirming(true);
    close();
    const ask = ASK_OF[action];
    if (action === "lower-hand") props.lowerHand();
    else if (ask) hosting.ask(uid, ask);
    else void hosting.act(action as HostActionName, uid);
  };
  const menu = `host-actions-${uid}`;
  return (
    <div class="host-person-actions" onKeyDown={onKeyDown}>
      <button ref={toggle} class="btn btn-ghost btn-small" type="button" aria-expanded={open} aria-controls={menu} onClick={() => (open ? close() : setOpen(true))}>
        {`Manage`}
        <span class="visually-hidden">{` ${name}`}</span>
      </button>
      <div id={menu} class="person-action-list" hidden={!open}>
        {confirming ? (
          <div class="host-confirm" role="group" aria-label={`Remove ${name}?`}>
            <span>{`Remove ${name}? They can come back only if a host lets them in.`}</span>
            <button class="btn btn-danger btn-small" type="button" ref={confirm} onClick={() => void hosting.act("remove", uid)}>
              Remove
            </button>
            <button class="btn btn-ghost btn-small" type="button" onClick={close}>
              Cancel
            </button>
          </div>
        ) : (
          <>
            {permits.map((what) => {
              const permitted = props.permitted.includes(what);
              const act = () => {
                close();
                void hosting.act(permitted ? "unpermit" : "permit", uid, what);
              };
              return (
                <button key={what} class="btn btn-ghost btn-small" type="button" data-permit={what} onClick={act}>
                  {permitLabel(what, name, permitted)}
                </button>
              );
            })}
            {actions.map((action) => (
              <button key={action} class="btn btn-ghost btn-small" type="button" data-action={action} onClick={() => run(action)}>
                {actionLabel(action, name)}
              </button>
            ))}
          </>
        )}
      </div>
    </div>
  );
}
