"""The one family of errors the library raises for problems a user can fix.

Each message says where (file and line, or record and field), what was expected, and how to fix it. Only the
command line prints them; it never prints a traceback for these, and never local variables, because incident
data holds personal information.
"""

from __future__ import annotations

from pathlib import Path


class HocrError(Exception):
    """A problem with the user's input, rule files or options."""


class RuleFileError(HocrError):
    def __init__(self, path: Path | str | None, line: int | None, key: str | None, message: str):
        self.path, self.line, self.key, self.message = path, line, key, message
        self.more: list[RuleFileError] = []
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.path or "<rules>") + (f":{self.line}" if self.line else "")
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class InputError(HocrError):
    """A record that cannot be evaluated; `problems` are (field path, message) pairs."""

    def __init__(self, source: str, line: int | None, record: str | None, problems: list[tuple[str, str]]):
        self.source, self.line, self.record, self.problems = source, line, record, problems
        super().__init__(str(self))

    def __reduce__(self):
        """Picklable, so that a worker process (hocr_rules.parallel) can hand a rejection back."""
        return InputError, (self.source, self.line, self.record, self.problems)

    def __str__(self) -> str:
        where = self.source + (f":{self.line}" if self.line else "")
        who = f" incident {self.record}" if self.record else ""
        return f"{where}{who}: " + "; ".join(f"{field}: {message}" for field, message in self.problems)


class EngineUnavailable(HocrError):
    """An optional engine cannot run here; the message says how to make it available."""


class FileError(HocrError):
    """A file named on the command line cannot be used: missing, a folder, unreadable, unwritable or not in a
    text encoding we read. One line naming the path, so the user knows which of several arguments it was."""

    def __init__(self, path, message: str):
        self.path, self.message = path, message
        super().__init__(f"{path}: {message}")
