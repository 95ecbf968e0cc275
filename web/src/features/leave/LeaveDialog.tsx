/**
 * The Leave button's question to someone who runs the meeting while others are in it: just
 * leave (the meeting goes on), or end it for everyone; a host with nobody else to run it can
 * name a co-host first. It follows the roster while open.
 */
import "./leave.css";
import { useState } from "preact/hooks";
import { Dialog } from "../dialogs/Dialog";
import { runsMeeting } from "../hosts/controls";
import type { RoomSession } from "../room/session";
import { leaveChoice, leaveSentence, type LeaveChoice } from "./leaveChoice";

/** The choice leaving is now (the roster, our role, the lobby); null: just leave. Read in render, it follows them. */
export function currentLeaveChoice(session: RoomSession): LeaveChoice | null {
  return leaveChoice(session.meeting.myUid, session.meeting.roster.value.values(), session.hosting.knocks.value.length);
}

export function LeaveDialog(props: { session: RoomSession; onLeave: () => void; onNameCohost: () => void; onClose: () => void }) {
  const { session } = props;
  const { hosting } = session;
  const [ending, setEnding] = useState(false);
  // Only this dialog's own refusal: the people panel's last problem is not about leaving.
  const [failure, setFailure] = useState("");
  const choice = currentLeaveChoice(session);
  const end = async () => {
    setEnding(true);
    // On success our own document says the meeting ended and the room goes, this dialog with it.
    if (await hosting.act("end")) return;
    setFailure(hosting.problem.peek());
    setEnding(false);
  };
  return (
    <Dialog labelledBy="leave-dialog-title" onClose={props.onClose}>
      <h2 id="leave-dialog-title">Leave the meeting?</h2>
      <p id="leave-dialog-text">{leaveSentence(choice, runsMeeting(hosting.myRole.value))}</p>
      {failure ? (
        <p class="host-problem" role="alert">
          {failure}
        </p>
      ) : null}
      <div class="leave-actions">
        <button class="btn btn-primary" type="button" disabled={ending} onClick={props.onLeave}>
          Just leave
        </button>
        {choice ? (
          <button class="btn btn-danger" type="button" disabled={ending} aria-describedby="leave-dialog-end" onClick={() => void end()}>
            End the meeting for everyone
          </button>
        ) : null}
        {choice?.canNameCohost ? (
          <button class="btn btn-ghost" type="button" disabled={ending} onClick={props.onNameCohost}>
            Choose a co-host
          </button>
        ) : null}
        <form method="dialog">
          <button class="btn btn-ghost" type="submit" disabled={ending}>
            Cancel
          </button>
        </form>
      </div>
      {choice ? (
        <p id="leave-dialog-end" class="muted small">
          Ending it: everyone leaves at once and nobody can join this meeting again.
        </p>
      ) : null}
    </Dialog>
  );
}
