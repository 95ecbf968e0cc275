/** Renaming oneself in the meeting (docs/protocol.md, `rename`): what a refusal means, in words. Pure. */
import type { CallFailure } from "../../core/api/errors";
import { PERMISSIONS } from "../hosts/permissions";

export function renameFailureText(failure: CallFailure): string {
  if (failure.reason === "turned-off") return PERMISSIONS.rename.off;
  if (failure.code === "invalid-argument") return "Use a name, not an e-mail address or phone number, of at most 64 characters.";
  if (failure.reason === "rate-limited") return "You renamed yourself many times: try again later.";
  if (failure.code === "failed-precondition") return "You are no longer in the meeting.";
  return "The meeting service could not be reached; try again.";
}
