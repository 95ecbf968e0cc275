/**
 * People: for the host and co-hosts first their controls (who waits to join, the lock, the
 * waiting room, ending for everyone); then everyone with a raised hand first (in the order they
 * raised it), then as they came; each with their role, the connection in words, the safety code,
 * "Message" for a private chat and, for the hosts, what they may do about that person; on one's
 * own row, "Rename". Those in other breakout rooms are counted below, with the way to the rooms.
 */
import { Fragment } from "preact";
import { useState } from "preact/hooks";
import { PAIR_SEPARATOR } from "../../core/meeting/safety";
import { Icon } from "../../ui/Icon";
import { elsewhereText } from "../breakouts/breakouts";
import { roleLabel, runsMeeting } from "../hosts/controls";
import { HostSection } from "../hosts/HostSection";
import { PersonActions } from "../hosts/PersonActions";
import type { RoomSession } from "../room/session";
import type { RoomUi } from "../room/store";
import { connectionText, hue, initials } from "../stage/tileInfo";
import { RenameMe } from "./RenameMe";
import { matchesName, searchSummary } from "./search";

/** One row; keyed by uid, so focus and screen-reader position survive updates. */
function PersonRow(props: { uid: string; session: RoomSession; ui: RoomUi }) {
  const { uid, session, ui } = props;
  const isMe = uid === session.meeting.myUid;
  const view = session.link(uid)?.view.value;
  const name = session.name(uid);
  const role = session.meeting.roster.value.get(uid)?.role ?? "participant";
  const badge = roleLabel(role);
  const hand = session.gestures.hands.value.has(uid);
  const connection = isMe ? "You" : connectionText(view);
  const code = view?.safetyCode ?? null;
  const message = () => {
    ui.chatTo.value = uid;
    ui.setPanel("chat");
  };
  return (
    <li data-uid={uid} data-hand={String(hand)}>
      <span class="person-avatar" style={`--hue:${hue(uid)}`} aria-hidden="true">
        {initials(name)}
      </span>
      <div class="person-main">
        <span class="person-name">
          {name + (isMe ? " (you)" : "")}
          {badge ? <span class="role-badge">{badge}</span> : null}
          {hand ? (
            <span class="person-hand">
              <Icon name="hand" label="hand raised" />
            </span>
          ) : null}
        </span>
        <span class="muted small">{connection}</span>
      </div>
      <span class="safety-code" title="Compare this code with theirs" hidden={!code} data-safety-code={code ?? undefined}>
        {code ? (
          <>
            <Icon name="shield" />
            <span>
              {code.split(PAIR_SEPARATOR).map((half, i, all) => (
                <Fragment key={i}>
                  {i ? " " : null}
                  <span class="code-half">{i < all.length - 1 ? half + PAIR_SEPARATOR.trimEnd() : half}</span>
                </Fragment>
              ))}
            </span>
          </>
        ) : null}
      </span>
      {isMe ? (
        <div class="person-actions">
          <RenameMe session={session} />
        </div>
      ) : (
        <div class="person-actions">
          {view?.state === "connected" ? (
            <button class="btn btn-ghost btn-small" type="button" onClick={() => (ui.dialog.value = { kind: "connection", uid })}>
              Details
            </button>
          ) : null}
          <button class="btn btn-ghost btn-small" type="button" onClick={message}>
            Message
          </button>
          <PersonActions
            hosting={session.hosting}
            uid={uid}
            name={name}
            role={role}
            permitted={session.meeting.roster.value.get(uid)?.permitted ?? []}
            media={{ audio: view?.remoteMedia.audio ?? true, video: view?.remoteMedia.video ?? true }}
            handUp={hand}
            lowerHand={() => {
              if (!session.gestures.lowerHandOf(uid)) session.hosting.problem.value = "Not connected to that person: their hand could not be lowered.";
            }}
          />
        </div>
      )}
    </li>
  );
}

export function PeoplePanel(props: { session: RoomSession; ui: RoomUi }) {
  const { session } = props;
  const myUid = session.meeting.myUid;
  const hands = session.gestures.hands.value;
  const present = [myUid, ...session.present.value.filter((uid) => uid !== myUid)];
  const raised = [...hands.entries()].sort((a, b) => a[1] - b[1]).map(([uid]) => uid).filter((uid) => present.includes(uid));
  const [query, setQuery] = useState("");
  const everyone = [...raised, ...present.filter((uid) => !hands.has(uid))];
  const uids = everyone.filter((uid) => matchesName(session.name(uid), query));
  const mine = hands.has(myUid);
  return (
    <div class="pane">
      {/* First: it finds those waiting to join too (the host section's list). */}
      <div class="people-search">
        <input type="search" aria-label="Search for people" placeholder="Search for people" value={query} onInput={(event) => setQuery(event.currentTarget.value)} />
        {/* Always there, so that what it comes to say is announced. */}
        <p class="muted small" role="status">
          {query.trim() ? searchSummary(uids.length, everyone.length, query) : ""}
        </p>
      </div>
      <HostSection hosting={session.hosting} query={query} />
      {raised.length ? (
        <p class="hands-summary">
          {`${raised.length} raised hand${raised.length === 1 ? "" : "s"}`}
          {mine ? (
            <button class="btn btn-ghost btn-small" type="button" onClick={() => session.gestures.raiseHand(false)}>
              Lower my hand
            </button>
          ) : null}
          {runsMeeting(session.hosting.myRole.value) && raised.some((uid) => uid !== myUid) ? (
            <button class="btn btn-ghost btn-small" type="button" onClick={() => session.gestures.lowerAllHands()}>
              Lower all hands
            </button>
          ) : null}
        </p>
      ) : null}
      <ul class="people-list">
        {uids.map((uid) => (
          <PersonRow key={uid} uid={uid} session={session} ui={props.ui} />
        ))}
      </ul>
      {session.elsewhere.value ? (
        <p class="muted small people-elsewhere">
          {elsewhereText(session.myRoom.value, session.elsewhere.value)}{" "}
          <button class="btn btn-ghost btn-small" type="button" onClick={() => props.ui.setPanel("rooms")}>
            See the rooms
          </button>
        </p>
      ) : null}
    </div>
  );
}
