/** The knocker's screen while a host decides (docs/protocol.md, `knock`): said plainly, with a way out. */
export function WaitingRoom(props: { meetingId: string; name: string; onCancel: () => void }) {
  return (
    <main class="center-page">
      <div class="card narrow waiting-room">
        <div class="waiting-pulse" aria-hidden="true" />
        <h1 id="waiting-title">Waiting for a host to let you in</h1>
        <p role="status" aria-live="polite">
          {"You asked to join "}
          <strong>{props.meetingId}</strong>
          {" as "}
          <strong>{props.name}</strong>
          {". A host of the meeting sees your name and lets you in, or not. Keep this page open: it moves on by itself."}
        </p>
        <button class="btn btn-ghost" type="button" onClick={props.onCancel}>
          Stop waiting
        </button>
      </div>
    </main>
  );
}
