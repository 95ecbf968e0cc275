"""The preload that gives every functions-emulator worker its own port (tools/emulator_ports.cjs).

Run with the CLI's own portfinder from node_modules, as the functions emulator calls it: many
concurrent requests from one start port. Unguarded, portfinder hands some ports out twice.
"""

from __future__ import annotations

import json
import subprocess

from tools import emulators

#: Forty workers asking at once from the same start port, as a burst of joins makes them.
PROBE = """
const pf = require("portfinder");
const start = 20000 + Math.floor(Math.random() * 20000);
Promise.all(Array.from({length: 40}, () => pf.getPortPromise({port: start})))
  .then((ports) => console.log(JSON.stringify(ports)));
"""


def _ports(node_options: str) -> list[int]:
    env = {**emulators.emulator_env(), "NODE_OPTIONS": node_options}
    out = subprocess.run(
        ["node", "-e", PROBE],
        cwd=emulators.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    ports: list[int] = json.loads(out)
    return ports


def test_the_cli_runs_with_the_guard() -> None:
    assert str(emulators.PORT_GUARD) in emulators.emulator_env()["NODE_OPTIONS"]
    assert emulators.PORT_GUARD.is_file()


def test_concurrent_workers_get_distinct_ports() -> None:
    guarded = _ports(emulators.emulator_env()["NODE_OPTIONS"])
    assert len(guarded) == 40
    assert len(set(guarded)) == 40, sorted(guarded)
