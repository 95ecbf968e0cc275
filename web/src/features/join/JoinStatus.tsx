/** The screens around joining: "Joining…" and a join that failed. */
import { StatusPage } from "../../ui/StatusPage";

export function Joining() {
  return <StatusPage text="Joining…" />;
}

export function JoinMessage(props: { title: string; message: string; onRetry: () => void }) {
  return (
    <div class="center-page">
      <div class="card narrow" role="alert">
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        <div class="row">
          <button class="btn btn-primary" type="button" onClick={props.onRetry}>
            Try again
          </button>
          <a href="/" data-link class="btn btn-ghost">
            Home
          </a>
        </div>
      </div>
    </div>
  );
}
