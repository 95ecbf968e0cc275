"""What every subcommand shares: the error type that becomes a message and an exit code."""

from __future__ import annotations


class CliError(Exception):
    """A failure the operator can act on; printed without a traceback."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code
