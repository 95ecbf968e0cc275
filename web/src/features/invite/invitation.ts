/** The invitation a person shares: the link, the code, and whether a password is needed. Pure. */

export interface InviteInfo {
  meetingId: string;
  title: string | null;
  link: string;
  hasPassword: boolean;
}

/** One line about the password, for the card and the message. */
export function passwordLine(hasPassword: boolean): string {
  return hasPassword
    ? "A password is needed to join: send it separately (not in the same message as the link)."
    : "No password: anyone with the link can join.";
}

/** The text that is copied or shared. */
export function invitationText(info: InviteInfo): string {
  const what = info.title ? `Join my AVMeets meeting "${info.title}"` : "Join my AVMeets meeting";
  const lines = [`${what}: ${info.link}`, `Meeting code: ${info.meetingId}`];
  lines.push(info.hasPassword ? "A password is needed: I will send it to you separately." : "No password is needed.");
  return lines.join("\n");
}
