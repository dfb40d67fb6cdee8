"""Project settings: `hocr.toml` (or `.hocr.toml`), or `[tool.hocr]` in `pyproject.toml`, found as Ruff finds its own.

An audit unit keeps its force's rule folder, profile, rule selection and reviewed findings beside its exports,
and every `hocr` command run anywhere below that folder uses them, so a monthly run cannot quietly drop the
force profile. The closest folder upward from the working directory that has a settings file wins; in one
folder `.hocr.toml`, then `hocr.toml`, then a `pyproject.toml` with a `[tool.hocr]` table (a `pyproject.toml`
without one is passed over). `--config FILE` names the file instead; `--isolated` ignores every file. Options
given on the command line win over the file. Paths in the file are relative to the file's folder.

The standard library's `tomllib` reads the file but gives no positions, so the line of each key is found by
reading the file's `key =` lines; a mistyped key gets the same file:line and "did you mean" as a rule file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from hocr_rules.errors import RuleFileError
from hocr_rules.rulebook import yamlfile
from hocr_rules.rulebook.schema import Strict
from hocr_rules.selection import Layer
from hocr_rules.writers import FORMATS

NAMES = (".hocr.toml", "hocr.toml", "pyproject.toml")
PYPROJECT_TABLE = ("tool", "hocr")
_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+|\"[^\"]*\")\s*=")
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


class Settings(Strict):
    """What a settings file may say; keys are written as in the file (kebab-case, as Ruff's)."""

    rules: list[str] = Field(default_factory=list, description="Rule folders added to the bundled pack, in order.")
    profile: str | None = Field(default=None, description="The force profile (YAML).")
    select: list[str] | None = Field(default=None, description="Rule codes or prefixes that report (default: all).")
    extend_select: list[str] = Field(default_factory=list, alias="extend-select")
    ignore: list[str] = Field(default_factory=list, description="Rule codes or prefixes that do not report.")
    format: str | None = Field(default=None, description="Output format of `hocr check`.")
    fail_on: Literal["breach", "not_evaluable"] | None = Field(default=None, alias="fail-on")
    baseline: str | None = Field(default=None, description="Reviewed findings file (YAML).")

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: str | None) -> str | None:
        if value is not None and value not in ("table",) + FORMATS:
            raise ValueError(f"no format '{value}'; choose table, {', '.join(FORMATS)}")
        return value


@dataclass(frozen=True)
class Config:
    """The settings in force and the file they came from (None: defaults, no file)."""

    path: Path | None = None
    settings: Settings = field(default_factory=Settings)

    def resolve(self, name: str | None) -> Path | None:
        """A path as written in the file, relative to the file's folder."""
        if name is None:
            return None
        return Path(name) if self.path is None else (self.path.parent / name)

    @property
    def rule_folders(self) -> list[Path]:
        return [self.resolve(name) for name in self.settings.rules]

    @property
    def layer(self) -> Layer:
        s = self.settings
        return Layer.of(str(self.path or "settings"), s.select, s.extend_select, s.ignore)


def find(start: Path) -> Path | None:
    """The settings file that applies in `start`: the closest folder upward that has one."""
    for folder in (start, *start.parents):
        for name in NAMES:
            path = folder / name
            if path.is_file() and (name != "pyproject.toml" or _has_table(path)):
                return path
    return None


def load(path: Path) -> Config:
    """Read and validate a settings file; every problem names the file, line and key."""
    if not path.is_file():
        raise RuleFileError(path, None, None, "no such settings file")
    text = path.read_text(encoding="utf-8")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        where = _TOML_POSITION.search(str(error))
        raise RuleFileError(path, int(where.group(1)) if where else None, None,
                            f"not valid TOML: {_TOML_POSITION.sub('', str(error)).strip()}") from None
    table: tuple[str, ...] = PYPROJECT_TABLE if path.name == "pyproject.toml" else ()
    data = document
    for part in table:
        data = data.get(part, {}) if isinstance(data, dict) else {}
    return Config(path, yamlfile.validate(Settings, data, path, key_lines(text, table)))


def discover(start: Path | None = None) -> Config:
    """The settings for a run in `start` (the working directory): from the file found, or the defaults."""
    path = find((start or Path.cwd()).resolve())
    return load(path) if path else Config()


def _has_table(path: Path) -> bool:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return True  # a broken pyproject.toml that may hold our table: load it, so the user hears why
    return isinstance(document.get("tool"), dict) and "hocr" in document["tool"]


def key_lines(text: str, table: tuple[str, ...]) -> dict[tuple, int]:
    """The 1-based line of each top-level key of `table` (the file's own top level when empty), and of the
    table's header under the empty path, in the form `yamlfile.validate` reads."""
    lines: dict[tuple, int] = {}
    current: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE.match(line)
        if header and not line.lstrip().startswith("[["):
            current = tuple(part.strip().strip('"') for part in header.group(1).split("."))
            if current == table:
                lines.setdefault((), number)
            continue
        key = _KEY.match(line)
        if key and current == table:
            lines.setdefault((key.group(1).strip('"'),), number)
    return lines
