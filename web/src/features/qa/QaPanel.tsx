/**
 * Q&A: the form to ask the meeting a question, and the questions, most upvoted first; a host or
 * co-host marks them answered or hides them, an asker withdraws their own.
 */
import "./qa.css";
import { useRef, useState } from "preact/hooks";
import { runsMeeting } from "../hosts/controls";
import type { RoomSession } from "../room/session";
import { arrange, MAX_TEXT_CHARS, type Mark, type Question } from "./qa";

const votesText = (n: number) => `${n} ${n === 1 ? "upvote" : "upvotes"}`;

function Item({ question, session, runs }: { question: Question; session: RoomSession; runs: boolean }) {
  const qa = session.qa;
  const who = question.mine ? "You" : `${session.name(question.asker)}${question.gone ? " (left)" : ""}`;
  const markButton = (state: Mark, text: string) => (
    <button class="btn btn-ghost btn-small" type="button" onClick={() => qa.mark(question.key, state)}>
      {text}
    </button>
  );
  return (
    <li class={`qa-item qa-${question.state}`}>
      <p class="qa-who muted small">
        {who}
        {question.state === "hidden" ? " · hidden by a host" : ""}
      </p>
      <p class="qa-text">{question.text}</p>
      <div class="qa-actions">
        {question.mine ? (
          <span class="qa-votes small">{votesText(question.votes)}</span>
        ) : (
          <button class="btn btn-small qa-vote" type="button" aria-pressed={question.upvoted} onClick={() => qa.upvote(question.key, !question.upvoted)}>
            Upvote ({question.votes})
          </button>
        )}
        {runs && question.state === "open" ? markButton("answered", "Mark answered") : null}
        {runs && question.state === "answered" ? markButton("open", "Reopen") : null}
        {runs && question.state !== "hidden" ? markButton("hidden", "Hide") : null}
        {runs && question.state === "hidden" ? markButton("open", "Show") : null}
        {question.mine ? (
          <button class="btn btn-ghost btn-small" type="button" onClick={() => qa.withdraw(question.key)}>
            Withdraw
          </button>
        ) : null}
      </div>
    </li>
  );
}

function Group({ id, title, list, session, runs, empty }: { id: string; title: string; list: Question[]; session: RoomSession; runs: boolean; empty?: string }) {
  if (!list.length && !empty) return null;
  return (
    <section class="qa-group" aria-labelledby={id}>
      <h3 id={id}>
        {title} ({list.length})
      </h3>
      {list.length ? (
        <ul class="qa-list">
          {list.map((q) => (
            <Item key={q.key} question={q} session={session} runs={runs} />
          ))}
        </ul>
      ) : (
        <p class="muted small">{empty}</p>
      )}
    </section>
  );
}

function Ask({ session }: { session: RoomSession }) {
  const [text, setText] = useState("");
  const [problem, setProblem] = useState("");
  const off = session.qa.askingOff.value;
  const form = useRef<HTMLFormElement>(null);
  const ask = (event: Event) => {
    event.preventDefault();
    const wrong = session.qa.ask(text);
    setProblem(wrong ?? "");
    if (!wrong) setText("");
  };
  return (
    <form class="qa-ask" onSubmit={ask} ref={form}>
      <div class="field">
        <label for="qa-question">Ask a question</label>
        <textarea
          id="qa-question"
          rows={2}
          maxLength={MAX_TEXT_CHARS}
          value={text}
          disabled={off}
          aria-describedby={off ? "qa-off" : undefined}
          onInput={(e) => setText(e.currentTarget.value)}
          // Enter posts, as in the chat; Shift+Enter is a new line.
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              form.current?.requestSubmit();
            }
          }}
        />
      </div>
      {off ? (
        <p class="muted small" id="qa-off">
          A host turned the chat off for participants, and questions with it.
        </p>
      ) : null}
      <p class={problem ? "form-error small" : "visually-hidden"} role="status">
        {problem}
      </p>
      <button class="btn btn-primary" type="submit" disabled={off}>
        Post
      </button>
    </form>
  );
}

export function QaPanel({ session }: { session: RoomSession }) {
  const runs = runsMeeting(session.hosting.myRole.value);
  const { open, answered, hidden } = arrange(session.qa.questions.value, runs);
  return (
    <div class="pane qa-panel">
      <Ask session={session} />
      <Group id="qa-open" title="Questions" list={open} session={session} runs={runs} empty="No questions yet." />
      <Group id="qa-answered" title="Answered" list={answered} session={session} runs={runs} />
      <Group id="qa-hidden" title="Hidden" list={hidden} session={session} runs={runs} />
      <p class="muted small">
        Questions and upvotes go straight to everyone's browser, never through a server, and are not stored. Someone who joins
        later sees the questions of those still here.
      </p>
    </div>
  );
}
