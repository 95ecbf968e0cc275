"""HTTP clients for the emulators' REST and callable endpoints.

Building an ``httpx.AsyncClient`` builds an SSL context and loads the CA bundle into it: about
50 ms of CPU on a 2-core machine (260 ms the first time), spent on the calling thread. For the
aiortc peers that thread is the event loop their ICE, DTLS and SCTP run on, so every callable
(a join, each connection report) used to stall every peer of the process that long. All the
clients here share one context, built once; the emulators speak plain HTTP anyway.
"""

from __future__ import annotations

import functools
import ssl
from typing import Any

import httpx


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def async_client(timeout: float, **kwargs: Any) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` with the shared SSL context (use it as a context manager)."""
    return httpx.AsyncClient(timeout=timeout, verify=_ssl_context(), **kwargs)
