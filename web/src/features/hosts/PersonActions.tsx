/**
 * A host's actions on one person in the people panel: ask to mute or to turn the camera off
 * (requests: the person decides), make or unmake a co-host, remove (confirmed first). A
 * disclosure button opens them; each is a button in the tab order.
 */
import { useState } from "preact/hooks";
import type { ParticipantRole } from "../../protocol.gen";
import { actionLabel, personActions, type PersonAction } from "./controls";
import type { Hosting } from "./hosting";

export function PersonActions(props: {
  hosting: Hosting;
  uid: string;
  name: string;
  role: ParticipantRole;
  media: { audio: boolean; video: boolean };
}) {
  const { hosting, uid, name } = props;
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const me = { uid: hosting.myUid, role: hosting.myRole.value };
  const actions = personActions(me, { uid, role: props.role }, props.media);
  if (!actions.length) return null;
  const run = async (action: PersonAction) => {
    if (action === "ask-mute") hosting.ask(uid, "mute");
    else if (action === "ask-video-off") hosting.ask(uid, "video-off");
    else if (action === "remove") return setConfirming(true);
    else await hosting.act(action, uid);
    setOpen(false);
  };
  const menu = `host-actions-${uid}`;
  return (
    <div class="host-person-actions">
      <button class="btn btn-ghost btn-small" type="button" aria-expanded={open} aria-controls={menu} onClick={() => setOpen(!open)}>
        {`Manage`}
        <span class="visually-hidden">{` ${name}`}</span>
      </button>
      <div id={menu} class="person-action-list" hidden={!open}>
        {confirming ? (
          <div class="host-confirm" role="group" aria-label={`Remove ${name}?`}>
            <span>{`Remove ${name}? They can come back only if a host lets them in.`}</span>
            <button class="btn btn-danger btn-small" type="button" ref={(b) => b?.focus()} onClick={() => void hosting.act("remove", uid)}>
              Remove
            </button>
            <button class="btn btn-ghost btn-small" type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        ) : (
          actions.map((action) => (
            <button key={action} class="btn btn-ghost btn-small" type="button" data-action={action} onClick={() => void run(action)}>
              {actionLabel(action, name)}
            </button>
          ))
        )}
      </div>
    </div>
  );
}
