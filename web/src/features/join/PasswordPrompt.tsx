/** The password prompt, shown only once join_meeting said the meeting needs one. */
import { useEffect, useRef, useState } from "preact/hooks";
import { Icon } from "../../ui/Icon";

export function PasswordPrompt(props: { meetingId: string; error: string; onSubmit: (password: string) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => input.current?.focus(), []);
  const submit = (event: Event) => {
    event.preventDefault();
    const password = input.current?.value ?? "";
    if (!password) return;
    setBusy(true);
    props.onSubmit(password);
  };
  return (
    <main class="center-page">
      <form class="card narrow" aria-labelledby="password-title" onSubmit={submit}>
        <h1 id="password-title">
          <Icon name="lock" /> This meeting has a password
        </h1>
        <p class="meeting-code-display">{props.meetingId}</p>
        <div class="field">
          <label for="join-password">Meeting password</label>
          <input ref={input} id="join-password" type="password" autocomplete="current-password" required maxLength={128} />
        </div>
        <p class="form-error" role="alert" hidden={!props.error}>
          {props.error}
        </p>
        <div class="row">
          <button class="btn btn-primary" type="submit" disabled={busy}>
            Join
          </button>
          <a href="/" data-link class="btn btn-ghost">
            Cancel
          </a>
        </div>
      </form>
    </main>
  );
}
