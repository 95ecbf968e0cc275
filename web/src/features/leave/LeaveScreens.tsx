/** After the Leave button: "Leaving…" while the server is told, then what is known of it. */
import { navigate } from "../../core/router/router";
import { StatusPage } from "../../ui/StatusPage";

export function Leaving() {
  return <StatusPage text="Leaving…" />;
}

/** `onRejoin` absent: there is nothing to rejoin (the meeting ended). */
export function Left(props: { meetingId: string; message: string; detail?: string; onRejoin?: () => void }) {
  return (
    <main class="center-page">
      <div class="card narrow" role={props.detail ? "alert" : undefined}>
        <h1>{props.message}</h1>
        {props.detail ? <p class="leave-detail">{props.detail}</p> : null}
        <p class="meeting-code-display">{props.meetingId}</p>
        <div class="row">
          {props.onRejoin ? (
            <button class="btn btn-primary" type="button" onClick={props.onRejoin}>
              Rejoin
            </button>
          ) : null}
          <button class={props.onRejoin ? "btn btn-ghost" : "btn btn-primary"} type="button" onClick={() => navigate("/")}>
            Home
          </button>
        </div>
      </div>
    </main>
  );
}
