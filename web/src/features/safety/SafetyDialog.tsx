/**
 * The safety code of one connection: your device's four words and theirs (core/meeting/safety.ts),
 * what this browser remembers of theirs (trust.ts), and "mark as verified".
 */
import { Icon } from "../../ui/Icon";
import { CloseButton, Dialog } from "../dialogs/Dialog";
import type { RoomSession } from "../room/session";
import type { TrustStatus } from "./contacts";
import { markVerified, trust } from "./trust";
import "./safety.css";

function trustText(status: TrustStatus | undefined, name: string): string {
  switch (status) {
    case "new":
      return `First meeting with ${name} on this device. Compare the codes once and mark them as verified.`;
    case "known":
      return `The same code as in your earlier meetings with ${name}, not yet verified.`;
    case "verified":
      return `Verified: you compared this code with ${name} before.`;
    case "changed":
      return `Changed since your last meeting with ${name}: a new device or browser, or someone listening in.`;
    default:
      return "Checking…";
  }
}

export function SafetyDialog(props: { uid: string; session: RoomSession; onClose: () => void }) {
  const { uid, session } = props;
  const safety = session.link(uid)?.view.value.safety;
  const known = trust.value.get(uid);
  const name = session.name(uid);
  if (!safety) return null;
  const status = known?.fingerprint === safety.remoteFingerprint ? known.status : undefined;
  return (
    <Dialog labelledBy="safety-title" onClose={props.onClose}>
      <h2 id="safety-title">
        <Icon name="shield" />
        {` Safety code with ${name}`}
      </h2>
      <p class="safety-big" data-safety-code={safety.code} hidden>
        {safety.code}
      </p>
      <p>Your code (read it out):</p>
      <p class="safety-words" data-code="mine">
        {safety.mine}
      </p>
      <p>{`${name}'s code, as your browser sees it:`}</p>
      <p class="safety-words" data-code="theirs">
        {safety.theirs}
      </p>
      <p>
        {`Ask ${name} to read out their code. If it is the same as above, and yours is the same on their screen, `}
        your connection is encrypted end to end and nobody sits in the middle. If not, leave the meeting.
      </p>
      <p class="safety-trust" data-trust={status ?? "checking"} role="status">
        {trustText(status, name)}
      </p>
      <div class="row">
        {status && status !== "verified" ? (
          <button class="btn btn-primary" type="button" onClick={() => void markVerified(uid, name)}>
            The codes match: mark as verified
          </button>
        ) : null}
        <CloseButton text="Close" />
      </div>
    </Dialog>
  );
}
