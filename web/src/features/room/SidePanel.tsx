/** The side panel: one of people, chat, files, polls, Q&A, breakout rooms or recordings (each its own feature). */
import { Icon } from "../../ui/Icon";
import { ChatPanel } from "../chat/ChatPanel";
import { FilesPanel } from "../files/FilesPanel";
import { PeoplePanel } from "../people/PeoplePanel";
import { PollsPanel } from "../polls/PollsPanel";
import { QaPanel } from "../qa/QaPanel";
import { BreakoutPanel } from "../breakouts/BreakoutPanel";
import { RecordingsPanel } from "../recordings/RecordingsPanel";
import type { RoomSession } from "./session";
import type { Panel, RoomUi } from "./store";

const TITLES: Record<Panel, string> = { people: "People", chat: "Chat", files: "Files", recordings: "Recordings", polls: "Polls", qa: "Questions and answers", rooms: "Breakout rooms" };

function PanelBody(props: { panel: Panel; session: RoomSession; ui: RoomUi }) {
  const { session, ui } = props;
  switch (props.panel) {
    case "people":
      return <PeoplePanel session={session} ui={ui} />;
    case "chat":
      return <ChatPanel session={session} ui={ui} />;
    case "files":
      return <FilesPanel session={session} ui={ui} />;
    case "polls":
      return <PollsPanel session={session} />;
    case "qa":
      return <QaPanel session={session} />;
    case "rooms":
      return <BreakoutPanel session={session} />;
    case "recordings":
      return <RecordingsPanel ui={ui} org={session.org} meetingId={session.meeting.meetingId} />;
  }
}

export function SidePanel(props: { session: RoomSession; ui: RoomUi }) {
  const { ui } = props;
  const panel = ui.panel.value;
  return (
    <aside class="side-panel" hidden={!panel} aria-labelledby="panel-title">
      <div class="panel-head">
        <h2 id="panel-title">{panel ? TITLES[panel] : ""}</h2>
        <button class="btn-icon btn-ghost" type="button" aria-label="Close the panel" onClick={() => ui.setPanel(null)}>
          <Icon name="close" />
        </button>
      </div>
      <div class="panel-body">{panel ? <PanelBody panel={panel} session={props.session} ui={ui} /> : null}</div>
    </aside>
  );
}
