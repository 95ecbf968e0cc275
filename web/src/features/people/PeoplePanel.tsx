/** People: everyone with the connection's state, path and safety code; "Message" opens a private chat. */
import { Icon } from "../../ui/Icon";
import type { RoomSession } from "../room/session";
import type { RoomUi } from "../room/store";
import { hue, initials, pathDetails, stateLabel } from "../stage/tileInfo";

/** One row; keyed by uid, so focus and screen-reader position survive updates. */
function PersonRow(props: { uid: string; session: RoomSession; ui: RoomUi }) {
  const { uid, session, ui } = props;
  const isMe = uid === session.meeting.myUid;
  const view = session.link(uid)?.view.value;
  const name = session.name(uid);
  const details = [isMe ? "You" : stateLabel(view).text, ...pathDetails(view)];
  const code = view?.safetyCode ?? null;
  const message = () => {
    ui.chatTo.value = uid;
    ui.setPanel("chat");
  };
  return (
    <li data-uid={uid}>
      <span class="person-avatar" style={`--hue:${hue(uid)}`} aria-hidden="true">
        {initials(name)}
      </span>
      <div class="person-main">
        <span class="person-name">{name + (isMe ? " (you)" : "")}</span>
        <span class="muted small">{details.join(" · ")}</span>
        <span class="safety-code" title="Compare this code with theirs" hidden={!code} data-safety-code={code ?? undefined}>
          {code ? (
            <>
              <Icon name="shield" /> {code}
            </>
          ) : null}
        </span>
      </div>
      {isMe ? null : (
        <button class="btn btn-ghost btn-small" type="button" onClick={message}>
          Message
        </button>
      )}
    </li>
  );
}

export function PeoplePanel(props: { session: RoomSession; ui: RoomUi }) {
  const { session } = props;
  const myUid = session.meeting.myUid;
  const uids = [myUid, ...session.present.value.filter((uid) => uid !== myUid)];
  return (
    <div class="pane">
      <ul class="people-list">
        {uids.map((uid) => (
          <PersonRow key={uid} uid={uid} session={session} ui={props.ui} />
        ))}
      </ul>
    </div>
  );
}
