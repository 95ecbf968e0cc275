/** The screens around joining: "Joining…" and a meeting that cannot be joined, with what to do next. */
import { signOut } from "firebase/auth";
import { auth } from "../../firebase";
import { navigate } from "../../core/router/router";
import { StatusPage } from "../../ui/StatusPage";
import type { JoinAction } from "./joinErrors";

export function Joining({ text = "Joining…" }: { text?: string }) {
  return <StatusPage text={text} />;
}

export function JoinMessage(props: { title: string; message: string; actions: JoinAction[]; onRetry: () => void }) {
  const { actions } = props;
  return (
    <main class="center-page">
      <div class="card narrow join-message" role="alert">
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        <div class="row">
          {actions.includes("retry") ? (
            <button class="btn btn-primary" type="button" onClick={props.onRetry}>
              Try again
            </button>
          ) : null}
          {actions.includes("sign-in") ? (
            <button class="btn btn-primary" type="button" onClick={() => void signOut(auth)}>
              Sign in again
            </button>
          ) : null}
          {actions.includes("home") ? (
            <button class={actions.length === 1 ? "btn btn-primary" : "btn btn-ghost"} type="button" onClick={() => navigate("/")}>
              Go to the home page
            </button>
          ) : null}
        </div>
      </div>
    </main>
  );
}
