/**
 * Polls: the question asked (answer it; the asker sees the counts as they come, everyone sees
 * them once it ends), and for a host or co-host the form to ask one.
 */
import "./polls.css";
import { useState } from "preact/hooks";
import { runsMeeting } from "../hosts/controls";
import type { RoomSession } from "../room/session";
import { MAX_OPTION_CHARS, MAX_OPTIONS, MAX_QUESTION_CHARS, MIN_OPTIONS, percent, pollProblem, type Poll } from "./polls";

/** How many chose each answer, as bars (a list: each item reads "Pizza: 2 votes, 67 %"). */
function Counts({ poll }: { poll: Poll }) {
  const counts = poll.counts ?? [];
  const total = counts.reduce((a, b) => a + b, 0);
  return (
    <ul class="poll-counts" aria-label="Results">
      {poll.options.map((option, i) => {
        const n = counts[i] ?? 0;
        const share = percent(n, total);
        return (
          <li key={i} class={poll.mine === i ? "poll-count mine" : "poll-count"}>
            <span class="poll-count-text">
              {option}: {n} {n === 1 ? "vote" : "votes"}, {share} %{poll.mine === i ? " (yours)" : ""}
            </span>
            <span class="poll-bar" style={{ width: `${share}%` }} aria-hidden="true" />
          </li>
        );
      })}
    </ul>
  );
}

function Answer({ poll, session }: { poll: Poll; session: RoomSession }) {
  const [choice, setChoice] = useState<number | null>(poll.mine);
  const [problem, setProblem] = useState("");
  const vote = (event: Event) => {
    event.preventDefault();
    if (choice === null) return setProblem("Choose an answer first.");
    setProblem(session.polls.vote(choice) ? "" : `Your answer could not reach ${session.name(poll.by)}: not connected.`);
  };
  return (
    <form onSubmit={vote}>
      <fieldset class="poll-answers">
        <legend class="visually-hidden">{poll.question}</legend>
        {poll.options.map((option, i) => (
          <label key={i} class="poll-answer">
            <input type="radio" name={`poll-${poll.id}`} checked={choice === i} onChange={() => setChoice(i)} />
            {option}
          </label>
        ))}
      </fieldset>
      <button class="btn btn-primary" type="submit">
        {poll.mine === null ? "Answer" : "Change my answer"}
      </button>
      <p class={problem ? "form-error small" : "muted small"} role="status">
        {problem || (poll.mine !== null ? `Your answer: ${poll.options[poll.mine]}. You can change it until the poll ends.` : "")}
      </p>
    </form>
  );
}

function Current({ poll, session }: { poll: Poll; session: RoomSession }) {
  const mine = poll.by === session.meeting.myUid;
  const asker = mine ? "You asked" : `${session.name(poll.by)} asks`;
  const everyone = session.present.value.length;
  return (
    <section class="poll" aria-labelledby="poll-question">
      <p class="muted small">{asker}</p>
      <h3 id="poll-question">{poll.question}</h3>
      {poll.state === "open" ? <Answer key={poll.id} poll={poll} session={session} /> : null}
      {poll.state === "open" && mine ? (
        <>
          <p class="small" role="status">
            {poll.voters} of {everyone} answered
          </p>
          <Counts poll={poll} />
          <button class="btn" type="button" onClick={() => session.polls.end()}>
            End the poll and share the results
          </button>
        </>
      ) : null}
      {poll.state === "ended" ? (
        <>
          <p class="small">The poll ended: {poll.voters} answered.</p>
          <Counts poll={poll} />
        </>
      ) : null}
      {poll.state === "gone" ? <p class="small">The poll ended without results: {session.name(poll.by)} left.</p> : null}
      <p class="muted small">
        {mine ? "Answers come to your browser only." : `Answers go to ${session.name(poll.by)}'s browser only.`} Everyone sees how many
        chose each answer when the poll ends, never who chose what. Nothing is stored.
      </p>
    </section>
  );
}

/** The form a host or co-host asks with: a question and 2-10 answers (blank ones left out). */
function Ask({ session }: { session: RoomSession }) {
  const [question, setQuestion] = useState("");
  const [options, setOptions] = useState<string[]>(["", ""]);
  const [problem, setProblem] = useState("");
  const ask = (event: Event) => {
    event.preventDefault();
    const wrong = pollProblem(question, options);
    setProblem(wrong ?? "");
    if (wrong) return;
    session.polls.ask(question, options);
    setQuestion("");
    setOptions(["", ""]);
  };
  const setOption = (i: number, value: string) => setOptions(options.map((o, j) => (j === i ? value : o)));
  return (
    <form class="poll-ask" onSubmit={ask} aria-labelledby="poll-ask-title">
      <h3 id="poll-ask-title">Ask everyone</h3>
      <div class="field">
        <label for="poll-question-input">Question</label>
        <input id="poll-question-input" type="text" maxLength={MAX_QUESTION_CHARS} value={question} onInput={(e) => setQuestion(e.currentTarget.value)} />
      </div>
      {options.map((option, i) => (
        <div key={i} class="field poll-option">
          <label for={`poll-option-${i}`}>{`Answer ${i + 1}`}</label>
          <input id={`poll-option-${i}`} type="text" maxLength={MAX_OPTION_CHARS} value={option} onInput={(e) => setOption(i, e.currentTarget.value)} />
          {options.length > MIN_OPTIONS ? (
            <button class="btn btn-ghost btn-small" type="button" onClick={() => setOptions(options.filter((_, j) => j !== i))}>
              Remove<span class="visually-hidden">{` answer ${i + 1}`}</span>
            </button>
          ) : null}
        </div>
      ))}
      {options.length < MAX_OPTIONS ? (
        <button class="btn btn-ghost btn-small" type="button" onClick={() => setOptions([...options, ""])}>
          Add an answer
        </button>
      ) : null}
      <p class={problem ? "form-error small" : "visually-hidden"} role="status">
        {problem}
      </p>
      <button class="btn btn-primary" type="submit">
        Ask
      </button>
    </form>
  );
}

export function PollsPanel({ session }: { session: RoomSession }) {
  const poll = session.polls.current.value;
  const asks = runsMeeting(session.hosting.myRole.value);
  return (
    <div class="pane polls-panel">
      {poll ? <Current poll={poll} session={session} /> : null}
      {asks && !(poll?.state === "open" && poll.by === session.meeting.myUid) ? <Ask session={session} /> : null}
      {!poll && !asks ? <p class="muted">No poll yet. Hosts and co-hosts can ask everyone a question here.</p> : null}
    </div>
  );
}
