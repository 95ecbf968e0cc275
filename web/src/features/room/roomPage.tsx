/**
 * The meeting page's composition root: one RoomController (the screens and the moves between
 * them) rendered as the screen it is on. Each screen and each part of the room is a component of
 * its feature folder; the whiteboard canvas and the recorder are lazy-loaded.
 */
import "@preact/signals"; // components re-render when the signals they read change
import { render } from "preact";
import { useEffect } from "preact/hooks";
import type { User } from "firebase/auth";
import { JoinMessage, Joining } from "../join/JoinStatus";
import { PasswordPrompt } from "../join/PasswordPrompt";
import { WaitingRoom } from "../hosts/WaitingRoom";
import { Leaving, Left } from "../leave/LeaveScreens";
import { Lobby } from "../lobby/Lobby";
import { focusView } from "../../ui/viewFocus";
import { takePassword } from "../../core/state/stash";
import { RoomController, type RoomHandle } from "./controller";
import { Room } from "./Room";

function RoomScreens({ controller }: { controller: RoomController }) {
  const screen = controller.screen.value;
  // Each new screen takes focus to its heading unless it took focus itself (after children's effects).
  useEffect(() => focusView(), [screen.kind]);
  const { meetingId, local } = controller;
  switch (screen.kind) {
    case "checking":
      return <Joining text="Checking the meeting…" />;
    case "lobby":
      return (
        <Lobby
          local={local}
          meetingId={meetingId}
          name={controller.name}
          nameError={controller.nameError.value}
          account={controller.account}
          info={controller.info.value}
          passwordKnown={!!takePassword(meetingId)}
          hideIp={controller.hideIp}
          onJoin={(password, name) => controller.joinAs(name, password)}
        />
      );
    case "waiting":
      return <WaitingRoom meetingId={meetingId} name={controller.myName} onCancel={() => void controller.stopWaiting()} />;
    case "joining":
      return <Joining />;
    case "password":
      return (
        <PasswordPrompt
          key={screen.attempt}
          meetingId={meetingId}
          error={screen.error}
          onSubmit={(password) => void controller.join(password, true)}
        />
      );
    case "message":
      return <JoinMessage title={screen.title} message={screen.message} actions={screen.actions} onRetry={() => void controller.join()} />;
    case "room":
      return <Room session={screen.session} ui={screen.ui} local={local} onLeave={() => void controller.leave()} />;
    case "leaving":
      return <Leaving />;
    case "left":
      return (
        <Left
          meetingId={meetingId}
          message={screen.message}
          detail={screen.detail}
          onRejoin={screen.canRejoin === false ? undefined : () => void controller.check()}
        />
      );
  }
}

export function mountRoom(root: HTMLElement, user: User, meetingId: string): RoomHandle {
  const controller = new RoomController(user, meetingId);
  const page = document.createElement("div");
  page.className = "room-page";
  root.appendChild(page);
  render(<RoomScreens controller={controller} />, page);
  controller.start();
  const handle = controller.handle;
  return Object.assign(handle, {
    async destroy() {
      await controller.destroy();
      render(null, page);
    },
  });
}
