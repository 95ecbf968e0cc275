/**
 * The host's part of the people panel: the lock and the waiting-room switches, the people
 * waiting to be let in, what participants may do, asking everyone to mute, and ending the
 * meeting for everyone. Shown to the host and co-hosts only; every control is a button or a
 * switch in the tab order.
 */
import { useEffect, useState } from "preact/hooks";
import type { HostActionName, HostPermission } from "../../protocol.gen";
import { useFocusWhen } from "../../ui/focusWhen";
import { matchesName, waitingSummary } from "../people/search";
import { AdmitAll } from "./AdmitAll";
import { runsMeeting } from "./controls";
import type { Hosting, Knocker } from "./hosting";
import { PERMISSIONS } from "./permissions";
import "./hosts.css";

/** A meeting switch. It shows what was asked at once, until the meeting document says so (or
 * the action is refused): another change arriving meanwhile must not flip it back. */
function Switch(props: { id: string; label: string; hint: string; on: boolean; onChange: (on: boolean) => Promise<boolean> }) {
  const [asked, setAsked] = useState<boolean | null>(null);
  useEffect(() => {
    if (asked === props.on) setAsked(null);
  }, [asked, props.on]);
  const change = (on: boolean) => {
    setAsked(on);
    void props.onChange(on).then((done) => done || setAsked(null));
  };
  return (
    <div class="host-switch">
      <label class="switch" for={props.id}>
        <input
          id={props.id}
          type="checkbox"
          role="switch"
          checked={asked ?? props.on}
          aria-describedby={`${props.id}-hint`}
          onChange={(event) => change((event.currentTarget as HTMLInputElement).checked)}
        />
        <span>{props.label}</span>
      </label>
      <span id={`${props.id}-hint`} class="muted small">
        {props.hint}
      </span>
    </div>
  );
}

function KnockRow(props: { knock: Knocker; hasOrg: boolean; hosting: Hosting }) {
  const { knock, hosting } = props;
  const [busy, setBusy] = useState(false);
  const answer = async (action: HostActionName) => {
    setBusy(true);
    await hosting.act(action, knock.uid);
    setBusy(false);
  };
  const details = [
    props.hasOrg ? (knock.sameOrg ? "From your organisation" : "Not from your organisation") : null,
    knock.wasRemoved ? "Was removed earlier" : null,
  ].filter(Boolean);
  return (
    <li class="knock" data-uid={knock.uid}>
      <div class="person-main">
        <span class="person-name">{knock.displayName}</span>
        {details.length ? <span class="muted small">{details.join(" · ")}</span> : null}
      </div>
      <button class="btn btn-primary btn-small" type="button" disabled={busy} aria-label={`Admit ${knock.displayName}`} onClick={() => void answer("admit")}>
        Admit
      </button>
      <button class="btn btn-ghost btn-small" type="button" disabled={busy} aria-label={`Deny ${knock.displayName}`} onClick={() => void answer("deny")}>
        Deny
      </button>
    </li>
  );
}

function EndForEveryone({ hosting }: { hosting: Hosting }) {
  const [asking, setAsking] = useState(false);
  const end = useFocusWhen<HTMLButtonElement>(asking);
  if (!asking) {
    return (
      <button class="btn btn-danger" type="button" onClick={() => setAsking(true)}>
        End the meeting for everyone
      </button>
    );
  }
  return (
    <div class="host-confirm" role="group" aria-labelledby="end-confirm-text">
      <p id="end-confirm-text">Everyone leaves at once and nobody can join this meeting again.</p>
      <button class="btn btn-danger" type="button" ref={end} onClick={() => void hosting.act("end")}>
        End for everyone
      </button>
      <button class="btn btn-ghost" type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </div>
  );
}

/** "Let participants …": what the hosts turn off for everyone who does not run the meeting. */
function Permissions({ hosting, restricted }: { hosting: Hosting; restricted: readonly HostPermission[] }) {
  return (
    <fieldset class="host-permissions">
      <legend>Let participants</legend>
      {(Object.keys(PERMISSIONS) as HostPermission[]).map((what) => (
        <Switch
          key={what}
          id={`host-let-${what}`}
          label={PERMISSIONS[what].label}
          hint={restricted.includes(what) ? "Off: hosts, co-hosts and those you let (Manage, beside their name)." : ""}
          on={!restricted.includes(what)}
          onChange={(on) => hosting.act(on ? "allow" : "restrict", undefined, what)}
        />
      ))}
    </fieldset>
  );
}

/** `query`: the people panel's search, which finds those waiting too. */
export function HostSection({ hosting, query = "" }: { hosting: Hosting; query?: string }) {
  if (!runsMeeting(hosting.myRole.value)) return null;
  const switches = hosting.switches.value;
  const knocks = hosting.knocks.value;
  const shown = knocks.filter((knock) => matchesName(knock.displayName, query));
  const found = waitingSummary(shown.length, knocks.length, query);
  const problem = hosting.problem.value;
  return (
    <section class="host-section" aria-label="Host controls">
      {problem ? (
        <p class="host-problem" role="alert">
          {problem}
        </p>
      ) : null}
      <section class="lobby-queue" aria-labelledby="lobby-queue-title">
        <div class="lobby-queue-head">
          <h3 id="lobby-queue-title">{knocks.length ? `Waiting to join (${knocks.length})` : "Nobody is waiting to join"}</h3>
          <AdmitAll hosting={hosting} />
        </div>
        {found ? <p class="muted small">{found}</p> : null}
        {shown.length ? (
          <ul class="knock-list">
            {shown.map((knock) => (
              <KnockRow key={knock.uid} knock={knock} hasOrg={switches.hasOrg} hosting={hosting} />
            ))}
          </ul>
        ) : null}
      </section>
      <Switch
        id="host-lock"
        label="Lock the meeting"
        hint="Nobody new can join or ask to join."
        on={switches.locked}
        onChange={(on) => hosting.act(on ? "lock" : "unlock")}
      />
      <Switch
        id="host-lobby"
        label="Waiting room"
        hint="Newcomers ask to join and wait for a host."
        on={switches.lobby}
        onChange={(on) => hosting.act(on ? "lobby-on" : "lobby-off")}
      />
      <Permissions hosting={hosting} restricted={switches.restricted} />
      {hosting.anyoneUnmuted.value ? (
        <button class="btn btn-ghost host-ask-all" type="button" onClick={() => hosting.askEveryoneToMute()}>
          Ask everyone to mute
        </button>
      ) : null}
      <EndForEveryone hosting={hosting} />
    </section>
  );
}
