/**
 * For the host and co-hosts, while the people panel is closed: who is waiting to join, with
 * "Admit" and "Deny" for a single knock, "Admit all" for several, and the way to the whole queue
 * (the people panel).
 */
import { useState } from "preact/hooks";
import type { HostActionName } from "../../protocol.gen";
import { AdmitAll } from "./AdmitAll";
import { runsMeeting } from "./controls";
import type { Hosting } from "./hosting";

export function KnockAlert(props: { hosting: Hosting; panelOpen: boolean; onShow: () => void }) {
  const { hosting } = props;
  const [busy, setBusy] = useState(false);
  const knocks = hosting.knocks.value;
  if (props.panelOpen || !runsMeeting(hosting.myRole.value) || !knocks.length) return null;
  const one = knocks.length === 1 ? knocks[0] : null;
  const answer = async (action: HostActionName, uid: string) => {
    setBusy(true);
    await hosting.act(action, uid);
    setBusy(false);
  };
  return (
    <section class="room-alert knock-alert" aria-label="Waiting to join">
      <p>{one ? `${one.displayName} asks to join` : `${knocks.length} people ask to join`}</p>
      {one ? (
        <>
          <button class="btn btn-primary btn-small" type="button" disabled={busy} aria-label={`Admit ${one.displayName}`} onClick={() => void answer("admit", one.uid)}>
            Admit
          </button>
          <button class="btn btn-ghost btn-small" type="button" disabled={busy} aria-label={`Deny ${one.displayName}`} onClick={() => void answer("deny", one.uid)}>
            Deny
          </button>
        </>
      ) : (
        <AdmitAll hosting={hosting} />
      )}
      <button class="btn btn-ghost btn-small" type="button" onClick={props.onShow}>
        {one ? "Details" : "See everyone waiting"}
      </button>
    </section>
  );
}
