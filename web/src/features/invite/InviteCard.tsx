/**
 * How to bring people in: the link (copy, or the system's share sheet where there is one), the
 * code, and whether a password is needed. In the empty room as a card; from the top bar as a dialog.
 */
import { useState } from "preact/hooks";
import { meetingLink } from "../../recent";
import { Icon } from "../../ui/Icon";
import { announce } from "../../core/announce";
import { aloneText } from "../breakouts/breakouts";
import type { RoomSession } from "../room/session";
import { invitationText, passwordLine, type InviteInfo } from "./invitation";

export function inviteInfo(session: RoomSession): InviteInfo {
  const { meeting } = session;
  return { meetingId: meeting.meetingId, title: meeting.title, link: meetingLink(meeting.meetingId), hasPassword: session.hasPassword };
}

async function copy(info: InviteInfo): Promise<void> {
  try {
    await navigator.clipboard.writeText(invitationText(info));
    announce("Invitation copied");
  } catch {
    announce("Copying is not allowed here: select the link and copy it");
  }
}

async function share(info: InviteInfo): Promise<void> {
  try {
    await navigator.share({ title: info.title ?? "AVMeets meeting", text: invitationText(info) });
  } catch (error) {
    if ((error as DOMException).name !== "AbortError") await copy(info);
  }
}

export function InviteBody(props: { session: RoomSession; headingId: string; heading: string }) {
  const info = inviteInfo(props.session);
  const [canShare] = useState(() => typeof navigator.share === "function");
  return (
    <>
      <h2 id={props.headingId}>{props.heading}</h2>
      <div class="field">
        <label for={`${props.headingId}-link`}>Meeting link</label>
        <input id={`${props.headingId}-link`} class="invite-link" readOnly value={info.link} onFocus={(e) => e.currentTarget.select()} />
      </div>
      <p class="invite-code">
        Meeting code <span class="code">{info.meetingId}</span>
      </p>
      <p class={info.hasPassword ? "invite-password needed" : "invite-password"} data-password={String(info.hasPassword)}>
        <Icon name={info.hasPassword ? "lock" : "people"} /> {passwordLine(info.hasPassword)}
      </p>
      <div class="row">
        <button class="btn btn-primary" type="button" onClick={() => void copy(info)}>
          <Icon name="copy" /> Copy invitation
        </button>
        {canShare ? (
          <button class="btn btn-secondary" type="button" onClick={() => void share(info)}>
            <Icon name="share" /> Share…
          </button>
        ) : null}
      </div>
    </>
  );
}

/** The empty room's card (empty of others in our breakout room, it says where they are). */
export function InviteCard(props: { session: RoomSession }) {
  const { session } = props;
  return (
    <section class="invite-card card" aria-labelledby="invite-title">
      <p class="muted">{aloneText(session.myRoom.value, session.elsewhere.value, session.hosting.switches.value.rooms)}</p>
      <InviteBody session={props.session} headingId="invite-title" heading="Invite people" />
    </section>
  );
}
