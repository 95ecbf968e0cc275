/* global window, location, document, parent */
// Google Analytics for AVMeets, isolated in its own frame (web/src/features/analytics).
//
// The app loads this page (with the measurement id after the "#") only after the person agreed,
// and tells it the route names of the pages it shows, nothing else. gtag.js therefore never runs
// in a page whose address ("/m/<meeting id>"), title (the meeting's) or forms could carry a
// meeting id or name, whatever the Analytics property's settings (enhanced measurement) say:
// all it can see is this empty page. It stores nothing (client_storage: "none": no cookie, no
// client id kept between visits), sends no Google signals, and counts only page views, sent here
// by hand (send_page_view: false).
(function () {
  "use strict";
  var ROUTES = {
    "/": "Home",
    "/m/:meeting": "Meeting",
    "/privacy": "Privacy",
    "/my-data": "My data",
    "/other": "Other",
  };
  var id = decodeURIComponent(location.hash.slice(1));
  if (!/^G-[A-Z0-9]{4,20}$/.test(id) || parent === window) return;
  var origin = location.origin;
  var dataLayer = (window.dataLayer = window.dataLayer || []);
  function gtag() {
    dataLayer.push(arguments);
  }
  function page(route) {
    return {
      page_location: origin + route,
      page_path: route,
      page_title: "AVMeets: " + ROUTES[route],
      page_referrer: "",
    };
  }
  gtag("js", new Date());
  var config = page("/");
  config.send_page_view = false;
  config.client_storage = "none";
  config.allow_google_signals = false;
  config.allow_ad_personalization_signals = false;
  gtag("config", id, config);
  var script = document.createElement("script");
  script.async = true;
  script.src = "https://www.googletagmanager.com/gtag/js?id=" + encodeURIComponent(id);
  document.head.appendChild(script);
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== parent) return;
    var data = event.data;
    // Only the known route names pass: an address the app failed to turn into one never does.
    if (!data || data.type !== "avmeets:page_view" || !Object.prototype.hasOwnProperty.call(ROUTES, data.route)) return;
    gtag("event", "page_view", page(data.route));
  });
  parent.postMessage({ type: "avmeets:analytics-ready" }, origin);
})();
