/**
 * The privacy page (/privacy, lazy-loaded, signed in or not): what the server keeps and for how
 * long in plain words (stored.ts), every stored field (inventory.gen.ts, generated from
 * docs/data-inventory.md), what stays in this browser, the analytics choice, and "My data".
 */
import { render } from "preact";
import { useState } from "preact/hooks";
import { measurementId } from "../../config";
import type { View } from "../../core/router/router";
import { InfoPage } from "../../ui/InfoPage";
import { consent } from "../analytics/consent";
import { INVENTORY, type StoredCollectionDoc } from "./inventory.gen";
import { PLAIN } from "./stored";
import "./privacy.css";

function Fields({ doc }: { doc: StoredCollectionDoc }) {
  return (
    <details class="privacy-fields">
      <summary>{`Every stored field (${doc.fields.length})`}</summary>
      <ul>
        {doc.fields.map((f) => (
          <li key={f.field} data-field={f.field}>
            <code>{f.field}</code>
            {f.why ? ` — ${f.why}` : ""}
          </li>
        ))}
      </ul>
    </details>
  );
}

function Stored() {
  return (
    <ul class="privacy-records">
      {INVENTORY.map((doc) => {
        const plain = PLAIN[doc.collection];
        return (
          <li key={doc.collection} data-collection={doc.collection}>
            <h3>{plain?.title ?? doc.collection}</h3>
            <p>{plain?.what}</p>
            <p class="privacy-kept">
              <strong>Kept: </strong>
              {plain?.kept}
            </p>
            <Fields doc={doc} />
          </li>
        );
      })}
    </ul>
  );
}

function AnalyticsChoice() {
  const [granted, setGranted] = useState(consent() === "granted");
  if (!measurementId) {
    return <p>This deployment uses no third-party analytics: nothing is sent to Google Analytics.</p>;
  }
  const id = measurementId;
  const change = async (value: boolean) => {
    const { changeConsent } = await import("../analytics/analytics");
    changeConsent(id, value);
    setGranted(value);
  };
  return (
    <>
      <p>
        With your permission only, AVMeets counts page visits with Google Analytics. Only the name of each page is sent
        (such as "Meeting"), never a meeting code, title or anyone's name; it runs apart from the app's pages and keeps
        nothing in your browser.
      </p>
      <label class="privacy-switch">
        <input type="checkbox" checked={granted} onChange={(e) => void change(e.currentTarget.checked)} />
        Count my visits (page names only)
      </label>
    </>
  );
}

export function PrivacyPage({ signedIn }: { signedIn: boolean }) {
  return (
    <InfoPage>
      <h1>Privacy</h1>
      <section aria-labelledby="privacy-short">
        <h2 id="privacy-short">In short</h2>
        <p>
          We store only the call record (CDR): who connected with whom, their identities, the network addresses of both
          and their country and provider, and how each connection went. Nothing else. The addresses are those you joined
          from and, reported by each browser, the public addresses the connection itself used (a private home-network
          address only as "private", never the address).
        </p>
        <p>
          Your video, audio, chats (group or private), files, whiteboard, live captions, polls, questions and recordings
          never reach our servers: they go directly between the browsers in the meeting, encrypted with DTLS.
          A recording stays in the browser that made it. Background effects are done in your browser too: your picture is
          blurred, or its background replaced, before it leaves it, and is not sent anywhere for that. The one exception is your organisation's
          choice, below.
        </p>
        <p>
          The call record is kept in case the law requires us to show who connected with whom, and deleted after a week
          at the latest, sooner by your organisation's rules or under load. An organisation may choose to store more of
          its own members: the chat they write, their attendance with time on screen (how long the meeting was visible
          and focused, the camera and microphone on), whiteboard snapshots, the files they share and the recordings they
          save to it. Everyone in the meeting sees it, in the lobby before joining and in a banner in the room that names
          whose data is stored and by which organisation. Nothing of a person whose organisation did not choose it is
          stored. By default nothing.
        </p>
      </section>
      <section aria-labelledby="privacy-yours">
        <h2 id="privacy-yours">Your own data</h2>
        <p>
          {signedIn ? (
            <a class="btn btn-primary" href="/my-data" data-link>
              See and delete your data
            </a>
          ) : (
            <>
              <a href="/my-data" data-link>
                Sign in
              </a>
              {" to see everything stored about you, with the date each record is deleted, and to delete it."}
            </>
          )}
        </p>
      </section>
      <section aria-labelledby="privacy-stored">
        <h2 id="privacy-stored">What the server keeps, and for how long</h2>
        <Stored />
      </section>
      <section aria-labelledby="privacy-browser">
        <h2 id="privacy-browser">In your browser</h2>
        <ul>
          <li>
            Recordings you make, until the time you choose runs out (7 days unless you change it under "Recordings in
            this browser"); you are told the day before they go.
          </li>
          <li>
            A certificate for this device's encrypted connections, and the safety codes of the people you met, so that
            AVMeets can warn you when someone's code changes. They never leave this browser; the others see your
            certificate's fingerprint when you connect.
          </li>
          <li>The meetings you joined recently, and your answer about usage statistics.</li>
          <li>
            Your settings: the microphone, camera and speakers you chose, whether the microphone and camera start on,
            whether your own picture is mirrored and original sound is on, what to do with your background (and the
            picture you chose for it, until you forget it), and whether to hide your IP address.
          </li>
          <li>
            In the tab of a meeting: its id while you are in it, so that reloading the page gets you back in, and the
            password you typed, so that you need not type it again to rejoin; both go when you close the tab.
          </li>
        </ul>
      </section>
      <section aria-labelledby="privacy-analytics">
        <h2 id="privacy-analytics">Usage statistics</h2>
        <p>
          Each day the server turns the day's call records into anonymous totals (meetings, people, how connections
          went, by country and network, only for groups of at least ten people) before they are deleted.
        </p>
        <AnalyticsChoice />
      </section>
      <section aria-labelledby="privacy-lawful">
        <h2 id="privacy-lawful">Lawful requests</h2>
        <p>
          Call records are handed over only for a lawful request, and each hand-over is recorded: which request, who,
          when and which records. That audit is kept two years and names records by number only.
        </p>
      </section>
    </InfoPage>
  );
}

export function mountPrivacyPage(root: HTMLElement, signedIn: boolean): View {
  render(<PrivacyPage signedIn={signedIn} />, root);
  document.title = "Privacy · AVMeets";
  return {
    destroy() {
      render(null, root);
      document.title = "AVMeets";
    },
  };
}
