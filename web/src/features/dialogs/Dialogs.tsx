/** The room's one open dialog, if any. */
import type { LocalMedia } from "../../core/meeting/media";
import { InviteBody } from "../invite/InviteCard";
import { LeaveDialog } from "../leave/LeaveDialog";
import { ShortcutsDialog } from "../room/ShortcutsDialog";
import type { RoomSession } from "../room/session";
import type { RoomUi } from "../room/store";
import { SafetyDialog } from "../safety/SafetyDialog";
import { SettingsDialog } from "../settings/SettingsDialog";
import { ConnectionDialog } from "../stage/ConnectionDialog";
import { LayoutDialog } from "../stage/LayoutDialog";
import { VolumeDialog } from "../stage/VolumeDialog";
import { CloseButton, Dialog } from "./Dialog";

export function Dialogs(props: { session: RoomSession; ui: RoomUi; local: LocalMedia; onLeave: () => void }) {
  const { ui, session } = props;
  const spec = ui.dialog.value;
  const close = () => (ui.dialog.value = null);
  switch (spec?.kind) {
    case "safety":
      return <SafetyDialog key={spec.uid} uid={spec.uid} session={session} onClose={close} />;
    case "connection":
      return <ConnectionDialog key={spec.uid} uid={spec.uid} session={session} onClose={close} />;
    case "settings":
      return <SettingsDialog local={props.local} onClose={close} />;
    case "invite":
      return (
        <Dialog labelledBy="invite-dialog-title" onClose={close}>
          <InviteBody session={session} headingId="invite-dialog-title" heading="Invite people" />
          <CloseButton text="Done" />
        </Dialog>
      );
    case "shortcuts":
      return <ShortcutsDialog onClose={close} />;
    case "layout":
      return <LayoutDialog onClose={close} />;
    case "volume":
      return <VolumeDialog key={spec.uid} uid={spec.uid} session={session} ui={ui} onClose={close} />;
    case "leave":
      return (
        <LeaveDialog
          session={session}
          onLeave={() => {
            close();
            props.onLeave();
          }}
          onNameCohost={() => {
            close();
            ui.setPanel("people");
          }}
          onClose={close}
        />
      );
    default:
      return null;
  }
}
