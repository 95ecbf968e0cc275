import { describe, expect, it } from "vitest";
import { invitationText, passwordLine } from "./invitation";

describe("the invitation", () => {
  const info = { meetingId: "abc-defg-hij", title: "Design review", link: "https://meet.example/m/abc-defg-hij", hasPassword: true };

  it("says where, the code, and that a password is needed (without the password)", () => {
    expect(invitationText(info)).toBe(
      'Join my AVMeets meeting "Design review": https://meet.example/m/abc-defg-hij\nMeeting code: abc-defg-hij\nA password is needed: I will send it to you separately.',
    );
    expect(invitationText({ ...info, title: null, hasPassword: false })).toBe(
      "Join my AVMeets meeting: https://meet.example/m/abc-defg-hij\nMeeting code: abc-defg-hij\nNo password is needed.",
    );
  });

  it("tells the inviter how to pass the password on", () => {
    expect(passwordLine(true)).toContain("send it separately");
    expect(passwordLine(false)).toContain("anyone with the link");
  });
});
