// Preloaded into the Firebase CLI (NODE_OPTIONS=--require) by tools/emulators.py.
//
// Why: the functions emulator proxies every invocation to its Python worker (gunicorn, started
// by functions-framework) with http.request and no agent of its own, so Node's global agent
// carries it. Since Node 19 that agent keeps idle sockets for reuse (for 5 s), while gunicorn
// closes an idle keep-alive connection after 2 s (its default). A request written on a socket
// that gunicorn is closing at that very moment fails with "socket hang up": the emulator logs
// "Request to function failed", answers 500 without CORS headers and kills the worker. CI saw it
// drop a join_meeting, a meeting_info and heartbeats (about one request in thousands).
//
// What: a global agent that never reuses a socket, so each proxied request opens its own
// loopback connection and no request can meet a connection being closed. Nothing else changes.
"use strict";

const http = require("http");

http.globalAgent = new http.Agent({ keepAlive: false });
