/**
 * Google Analytics, only where an operator configured a measurement id and only after the
 * person agreed: nothing is loaded or sent before (this module is itself loaded lazily).
 *
 * gtag.js never runs in the app's pages. It runs in a hidden frame of its own
 * (public/analytics/frame.html) to which the app posts route names ("/m/:meeting", routes.ts)
 * and nothing else, so neither a meeting code in the address, the meeting's title in the page
 * title, nor any form or link of the app can reach Google, whatever the property's settings.
 * The Firebase Analytics SDK is not used: it would also send a persistent installation id
 * (`firebase_id`) and fetch the app's config from Google.
 */
import { onRendered } from "../../core/router/router";
import { h } from "../../ui/dom";
import "./analytics.css";
import { consent, setConsent } from "./consent";
import { routeOf, type Route } from "./routes";

const FRAME_PATH = "/analytics/frame.html";

let frame: HTMLIFrameElement | null = null;
let ready = false;
let last: Route | null = null;
const queue: Route[] = [];
let stopListening: (() => void) | null = null;

function flush(): void {
  const target = frame?.contentWindow;
  if (!ready || !target) return;
  for (const route of queue.splice(0)) target.postMessage({ type: "avmeets:page_view", route }, location.origin);
}

function pageView(pathname: string): void {
  const route = routeOf(pathname);
  if (route === last) return; // a re-render of the same page (e.g. after sign-in) is not a visit
  last = route;
  queue.push(route);
  flush();
}

function onMessage(event: MessageEvent): void {
  if (!frame || event.source !== frame.contentWindow || event.origin !== location.origin) return;
  if ((event.data as { type?: string } | null)?.type !== "avmeets:analytics-ready") return;
  ready = true;
  flush();
}

function load(measurementId: string): void {
  if (frame) return;
  frame = h("iframe", {
    class: "analytics-frame",
    src: `${FRAME_PATH}#${encodeURIComponent(measurementId)}`,
    title: "Usage statistics",
    "aria-hidden": "true",
    tabindex: "-1",
    referrerpolicy: "no-referrer",
  });
  window.addEventListener("message", onMessage);
  document.body.appendChild(frame);
  pageView(location.pathname);
  stopListening = onRendered((pathname) => pageView(pathname));
}

/** Withdrawn consent: the frame (and gtag.js with it) goes at once. */
export function stopAnalytics(): void {
  stopListening?.();
  stopListening = null;
  window.removeEventListener("message", onMessage);
  frame?.remove();
  frame = null;
  ready = false;
  last = null;
  queue.length = 0;
}

function ask(measurementId: string): void {
  if (document.querySelector(".consent-banner")) return;
  const answer = (value: "granted" | "denied") => {
    setConsent(value);
    banner.remove();
    if (value === "granted") load(measurementId);
  };
  const banner = h(
    "section",
    { class: "consent-banner", role: "region", "aria-labelledby": "consent-title" },
    h("h2", { id: "consent-title" }, "May we count visits?"),
    h(
      "p",
      null,
      "AVMeets can count page visits with Google Analytics. Only the name of each page is sent (such as ",
      h("q", null, "Meeting"),
      "): never a meeting code, title or anyone's name, and nothing is kept in your browser for it. ",
      h("a", { href: "/privacy", "data-link": true }, "How AVMeets handles data"),
    ),
    h(
      "div",
      { class: "row" },
      h("button", { class: "btn btn-primary", type: "button", onclick: () => answer("granted") }, "Allow counting"),
      h("button", { class: "btn btn-secondary", type: "button", onclick: () => answer("denied") }, "No, thanks"),
    ),
  );
  document.body.appendChild(banner);
}

/** Start (where consented), or ask; does nothing once the person said no. */
export function startAnalytics(measurementId: string): void {
  const answer = consent();
  if (answer === "granted") load(measurementId);
  else if (answer === null) ask(measurementId);
}

/** The privacy page's switch: change the answer, starting or stopping at once. */
export function changeConsent(measurementId: string, granted: boolean): void {
  setConsent(granted ? "granted" : "denied");
  document.querySelector(".consent-banner")?.remove();
  if (granted) load(measurementId);
  else stopAnalytics();
}
