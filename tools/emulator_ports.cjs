// Preloaded into the Firebase CLI (NODE_OPTIONS=--require) by tools/emulators.py.
//
// Why: the functions emulator gives every Python worker a port from
// portfinder.getPortPromise({port: 8081 + random(0..999)}). portfinder only checks that a port is
// free *now*, so two workers started at the same moment can be handed the same port. The second
// gunicorn then fails to bind, yet the emulator's readiness probe (GET /__/health) is answered by
// the first worker, so requests for function B are served by function A: a callable answered by
// the on_signal worker returns "FUNCTION_SIGNATURE_TYPE=cloudevent" 400s (seen in CI). firebase-tools
// fixed the same race for its discovery server with jitter alone (PR #5444); jitter is not enough
// when dozens of workers start together.
//
// What: calls are serialised, and a port handed out in the last HOLD_MS is never handed out
// again (the search goes on from the next port), so every worker gets its own port. Nothing else
// in the CLI changes. Harmless in any other Node process: it only acts when portfinder loads.
"use strict";

const Module = require("module");

const HOLD_MS = 10 * 60 * 1000;
const handedOut = new Map(); // port -> time it was handed out
let queue = Promise.resolve();

function guard(portfinder) {
  if (portfinder.__avmeetsGuarded) return portfinder;
  const original = portfinder.getPort;

  function findOnce(options) {
    return new Promise((resolve, reject) => {
      original.call(portfinder, options, (err, port) => (err ? reject(err) : resolve(port)));
    });
  }

  async function findUnique(options) {
    let current = { ...(options || {}) };
    for (;;) {
      const port = await findOnce(current);
      const now = Date.now();
      const at = handedOut.get(port);
      if (at === undefined || now - at > HOLD_MS) {
        handedOut.set(port, now);
        return port;
      }
      current = { ...current, port: port + 1 };
    }
  }

  function getPort(options, callback) {
    if (typeof options === "function") {
      callback = options;
      options = {};
    }
    const result = queue.then(() => findUnique(options));
    queue = result.catch(() => undefined);
    if (!callback) return result;
    result.then((port) => callback(null, port), (err) => callback(err));
    return undefined;
  }

  portfinder.getPort = getPort;
  portfinder.getPortPromise = getPort;
  portfinder.__avmeetsGuarded = true;
  return portfinder;
}

const load = Module._load;
Module._load = function (request, parent, isMain) {
  const exported = load.call(this, request, parent, isMain);
  return request === "portfinder" ? guard(exported) : exported;
};
