/** The safety code of one connection, to compare with the other person's (core/meeting/safety.ts). */
import { Icon } from "../../ui/Icon";
import { CloseButton, Dialog } from "../dialogs/Dialog";
import type { RoomSession } from "../room/session";

export function SafetyDialog(props: { uid: string; session: RoomSession; onClose: () => void }) {
  const { uid, session } = props;
  const code = session.link(uid)?.view.value.safetyCode;
  const name = session.name(uid);
  if (!code) return null;
  return (
    <Dialog labelledBy="safety-title" onClose={props.onClose}>
      <h2 id="safety-title">
        <Icon name="shield" />
        {` Safety code with ${name}`}
      </h2>
      <p class="safety-big" data-safety-code={code}>
        {code}
      </p>
      <p>
        {`Ask ${name} to read the code on their screen. If it is the same, your connection is encrypted end to end `}
        and nobody sits in the middle. If it differs, leave the meeting.
      </p>
      <CloseButton text="Close" />
    </Dialog>
  );
}
