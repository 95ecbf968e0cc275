/** The room's one open dialog, if any. */
import type { LocalMedia } from "../../core/meeting/media";
import type { RoomSession } from "../room/session";
import type { RoomUi } from "../room/store";
import { SafetyDialog } from "../safety/SafetyDialog";
import { SettingsDialog } from "../settings/SettingsDialog";

export function Dialogs(props: { session: RoomSession; ui: RoomUi; local: LocalMedia }) {
  const { ui } = props;
  const spec = ui.dialog.value;
  const close = () => (ui.dialog.value = null);
  if (spec?.kind === "safety") return <SafetyDialog key={spec.uid} uid={spec.uid} session={props.session} onClose={close} />;
  if (spec?.kind === "settings") return <SettingsDialog local={props.local} onClose={close} />;
  return null;
}
