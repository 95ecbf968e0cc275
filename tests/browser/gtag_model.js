// The tests' stand-in for Google's gtag.js (there is no internet here; test_analytics.py serves
// this for https://www.googletagmanager.com/gtag/js). It does with the commands the page hands
// to gtag what the real script does as far as what leaves the page: every event (and a
// "config" without send_page_view: false) becomes a GA4 collect hit with gtag's documented
// parameters, and gtag's defaults apply wherever the page did not override them: the page's
// own address (dl), title (dt) and referrer (dr). So a page that hands a meeting id to gtag, or
// lets it read one from its address or title, leaks it here exactly as it would to Google.
(function () {
  var dataLayer = (window.dataLayer = window.dataLayer || []);
  var configs = {};
  var ids = [];
  var cid = String(Math.floor(Math.random() * 1e9)) + "." + String(Math.floor(Date.now() / 1000));

  function pick(name, params, config, fallback) {
    if (params && params[name] !== undefined) return params[name];
    if (config && config[name] !== undefined) return config[name];
    return fallback;
  }

  function send(id, name, params) {
    var config = configs[id] || {};
    var q = new URLSearchParams();
    q.set("v", "2");
    q.set("tid", id);
    q.set("cid", cid);
    q.set("en", name);
    q.set("dl", pick("page_location", params, config, location.href));
    q.set("dt", pick("page_title", params, config, document.title));
    var referrer = pick("page_referrer", params, config, document.referrer);
    if (referrer) q.set("dr", referrer);
    for (var key in params || {}) {
      if (!/^page_/.test(key) && key !== "send_to") q.set("ep." + key, String(params[key]));
    }
    fetch("https://region1.google-analytics.com/g/collect?" + q.toString(), {
      method: "POST",
      mode: "no-cors",
      keepalive: true,
    });
  }

  function handle(args) {
    var command = args && args[0];
    if (command === "config") {
      configs[args[1]] = args[2] || {};
      if (ids.indexOf(args[1]) < 0) ids.push(args[1]);
      if ((args[2] || {}).send_page_view !== false) send(args[1], "page_view", {});
    } else if (command === "event") {
      for (var i = 0; i < ids.length; i++) send(ids[i], args[1], args[2] || {});
    }
  }

  for (var i = 0; i < dataLayer.length; i++) handle(dataLayer[i]);
  var push = dataLayer.push.bind(dataLayer);
  dataLayer.push = function (args) {
    handle(args);
    return push(args);
  };
})();
