/**
 * "Rename" on one's own row of the people panel: the name everyone sees, changed in place
 * (`rename`; the roster brings the new name to every client, this one included). A host may turn
 * renaming off for participants: the button then says why instead.
 */
import { useState } from "preact/hooks";
import { announce } from "../../core/announce";
import { call } from "../../core/api/client";
import { describeFailure } from "../../core/api/errors";
import { useFocusWhen } from "../../ui/focusWhen";
import { PERMISSIONS } from "../hosts/permissions";
import { nameProblem } from "../lobby/names";
import type { RoomSession } from "../room/session";
import { renameFailureText } from "./rename";

export function RenameMe({ session }: { session: RoomSession }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState("");
  const [problem, setProblem] = useState("");
  const [busy, setBusy] = useState(false);
  const [closed, setClosed] = useState(false);
  const field = useFocusWhen<HTMLInputElement>(editing);
  // Back on the button once the form goes (not on the first showing of the row).
  const button = useFocusWhen<HTMLButtonElement>(closed && !editing);
  const close = () => {
    setEditing(false);
    setClosed(true);
  };
  const held = session.hosting.heldForMe.value.includes("rename");
  const open = () => {
    if (held) return announce(PERMISSIONS.rename.off, { urgency: "assertive" });
    setDraft(session.name(session.meeting.myUid));
    setProblem("");
    setClosed(false);
    setEditing(true);
  };
  const save = async (event: Event) => {
    event.preventDefault();
    const wrong = nameProblem(draft);
    if (wrong) return setProblem(wrong);
    setBusy(true);
    try {
      const result = await call("rename", { meetingId: session.meeting.meetingId, displayName: draft });
      close();
      if (result.changed) announce(`The others now see you as ${result.displayName}`);
    } catch (error) {
      setProblem(renameFailureText(describeFailure(error)));
    } finally {
      setBusy(false);
    }
  };
  if (!editing) {
    return (
      <button ref={button} class="btn btn-ghost btn-small" type="button" onClick={open} aria-label={held ? "Rename: turned off by a host" : "Rename yourself"}>
        Rename
      </button>
    );
  }
  return (
    <form class="rename-form" onSubmit={(event) => void save(event)} onKeyDown={(event) => event.key === "Escape" && (event.stopPropagation(), close())}>
      <label for="rename-field">Your name</label>
      <input
        ref={field}
        id="rename-field"
        type="text"
        maxLength={64}
        autocomplete="nickname"
        value={draft}
        onInput={(event) => setDraft(event.currentTarget.value)}
        aria-invalid={problem ? "true" : undefined}
        aria-describedby={problem ? "rename-problem" : undefined}
      />
      {problem ? (
        <p id="rename-problem" class="form-error small" role="alert">
          {problem}
        </p>
      ) : null}
      <div class="rename-buttons">
        <button class="btn btn-primary btn-small" type="submit" disabled={busy}>
          Save
        </button>
        <button class="btn btn-ghost btn-small" type="button" onClick={close}>
          Cancel
        </button>
      </div>
    </form>
  );
}
