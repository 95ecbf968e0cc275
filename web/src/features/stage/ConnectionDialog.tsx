/** A connection's details, on demand from its quality bars or the people panel. */
import { CloseButton, Dialog } from "../dialogs/Dialog";
import type { RoomSession } from "../room/session";
import { connectionDetails } from "./tileInfo";

export function ConnectionDialog(props: { uid: string; session: RoomSession; onClose: () => void }) {
  const { uid, session } = props;
  const view = session.link(uid)?.view.value;
  const rows = connectionDetails(view);
  const privacy = session.meeting.privacy.value;
  return (
    <Dialog labelledBy="connection-title" onClose={props.onClose}>
      <h2 id="connection-title">{`Connection with ${session.name(uid)}`}</h2>
      <dl class="details">
        {rows.map(([what, value]) => (
          <div key={what} class="details-row">
            <dt>{what}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p class="muted small">
        {privacy.relayOnly
          ? "Your IP address is hidden: your side goes through the relay server."
          : "Media goes directly between your browsers where the networks allow, else through the relay server; it is encrypted either way."}
      </p>
      <CloseButton text="Close" />
    </Dialog>
  );
}
