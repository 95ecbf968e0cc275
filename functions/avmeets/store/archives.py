"""What an opted-in organisation's members archive (``archives``)."""

from __future__ import annotations

from . import names
from .core import client, data
from .documents import ArchiveDoc


def create_archive(doc: ArchiveDoc) -> str:
    """Store the archive under a new id; returns the id."""
    ref = client().collection(names.ARCHIVES).document()
    ref.set(data(doc))
    return str(ref.id)
