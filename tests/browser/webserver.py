"""The built web app (web/dist) over HTTP on 127.0.0.1, with the SPA fallback to index.html.

Used by the browser tests' `web_url` fixture when no other server has the build, and by the
uplink benchmark (bench/uplink_child.py).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class SpaHandler(http.server.SimpleHTTPRequestHandler):
    """Static files of web/dist; any unknown path gets index.html (client-side routes)."""

    def translate_path(self, path: str) -> str:
        resolved = Path(super().translate_path(path))
        if not resolved.is_file():
            return str(Path(self.directory) / "index.html")
        return str(resolved)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(dist: Path) -> Iterator[str]:
    """Serve `dist` on a free port of 127.0.0.1; yields the base URL."""
    handler = functools.partial(SpaHandler, directory=str(dist))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="web-dist", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
