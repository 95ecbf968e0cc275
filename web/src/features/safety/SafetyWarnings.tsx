/** A warning, above the stage, for each person whose safety code changed since the last meeting. */
import { useEffect } from "preact/hooks";
import { Icon } from "../../ui/Icon";
import type { RoomSession } from "../room/session";
import type { RoomUi } from "../room/store";
import { dismissWarning, trust, watchTrust } from "./trust";
import "./safety.css";

export function SafetyWarnings({ session, ui }: { session: RoomSession; ui: RoomUi }) {
  useEffect(() => watchTrust(session), [session]);
  const changed = [...trust.value].filter(([, t]) => t.status === "changed" && !t.dismissed);
  if (!changed.length) return null;
  return (
    <div class="safety-warnings">
      {changed.map(([uid]) => {
        const name = session.name(uid);
        return (
          <div key={uid} class="safety-warning" role="alert" data-uid={uid}>
            <Icon name="shield" />
            <p>
              {`${name}'s safety code is not the one you saw in your earlier meetings. ${name} may be on another device or `}
              browser, or someone may be listening in. Compare the codes before you say anything private.
            </p>
            <button class="btn btn-secondary btn-small" type="button" onClick={() => (ui.dialog.value = { kind: "safety", uid })}>
              Compare codes
            </button>
            <button class="btn btn-ghost btn-small" type="button" onClick={() => dismissWarning(uid)}>
              Dismiss
            </button>
          </div>
        );
      })}
    </div>
  );
}
