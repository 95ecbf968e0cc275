"""tools/emulator_keepalive.cjs: the Firebase CLI, which proxies every function invocation with
http.request on Node's global agent, must not reuse an idle connection to a worker (gunicorn
closes those after 2 s while Node keeps them for 5 s: the "socket hang up" CI saw)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from tools import emulators

#: Three requests in a row to a local server the way the emulator sends them (no agent given);
#: prints how many connections the server saw.
SCRIPT = r"""
const http = require("http");
const server = http.createServer((req, res) => res.end("ok"));
let connections = 0;
server.on("connection", () => connections++);
server.listen(0, "127.0.0.1", async () => {
  const { port } = server.address();
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, path: "/", method: "POST",
                                 headers: { connection: "keep-alive" } }, (res) => {
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", reject);
      req.end("{}");
    });
  }
  console.log(JSON.stringify({ connections }));
  server.close();
  process.exit(0);
});
"""


def _connections(node_options: str) -> int:
    node = shutil.which("node")
    if node is None:
        pytest.fail("no node on PATH (the Firebase CLI needs it)", pytrace=False)
    out = subprocess.run(
        [node, "-e", SCRIPT],
        env={**os.environ, "NODE_OPTIONS": node_options},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return int(json.loads(out)["connections"])


def test_the_cli_runs_with_the_preload() -> None:
    assert str(emulators.NO_KEEPALIVE) in emulators.emulator_env()["NODE_OPTIONS"]


def test_every_proxied_request_opens_its_own_connection() -> None:
    assert _connections(f'--require "{emulators.NO_KEEPALIVE}"') == 3


def test_without_the_preload_node_reuses_the_idle_connection() -> None:
    """The hazard itself (Node 19+): this is what the preload removes."""
    assert _connections("") == 1
