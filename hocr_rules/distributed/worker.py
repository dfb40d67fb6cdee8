"""What a Dask worker does with a partition: check it with the pipeline `hocr check --workers` runs in each of
its forked workers (`hocr_rules.parallel.work.Job`: JSON Lines intake, screening, the format's own writer), so
the findings cannot drift from a local run.

A compiled rule pack cannot be pickled (the crime indicators' phrase matchers are C automata), so what travels
to the workers is a `Recipe`: the rule folders, the profile, what to report and in which format. Each worker
process loads each pack once (its first task pays for it: under a second on an idle machine) and refuses to
check anything if the pack it loaded, or its version of hocr-rules, is not the client's: findings of two rule
packs must never be added up in one summary. Each thread of a worker gets its own `Job` (a writer holds its
buffer) and shares the process's pack; the evaluator is pure Python, so one thread per worker process is the
fast setting.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from hocr_rules.engine.engines import build_engine
from hocr_rules.errors import HocrError, InputError
from hocr_rules.findings import FindingsWriter
from hocr_rules.intake import Intake
from hocr_rules.model.timestamps import LONDON
from hocr_rules.outputs import report_file
from hocr_rules.parallel import Job, Spliced
from hocr_rules.parallel.work import Checked
from hocr_rules.provenance import pack_digest, tool_version
from hocr_rules.distributed.partitions import Partition
from hocr_rules.reporting import Reporting
from hocr_rules.rulebook.pack import DEFAULT_RULES, RulePack
from hocr_rules.rulebook.schema import Profile

BUNDLED = "<bundled>"   # the rule pack installed with hocr-rules, wherever each machine installed it


@dataclass(frozen=True)
class Recipe:
    """How to build a run's `Job` on any worker: the rule folders (absolute paths, or the bundled pack), the
    profile, what is reported, the timestamps' reading, the format, and the digest of the pack they give."""

    folders: tuple[str, ...]
    profile: Profile | None
    reporting: Reporting
    assume_london: bool
    fmt: str
    include: frozenset[str]
    digest: str
    version: str
    run: str = field(default_factory=lambda: uuid.uuid4().hex)   # the workers' cache key

    @classmethod
    def of(cls, folders: Iterable[Path], profile: Profile | None, pack: RulePack, reporting: Reporting,
           assume_london: bool, fmt: str, include: frozenset[str]) -> "Recipe":
        """The recipe of a run whose `pack` was loaded here from these rule folders and profile."""
        named = tuple(BUNDLED if Path(f).resolve() == DEFAULT_RULES else str(Path(f).resolve()) for f in folders)
        return cls(named, profile, reporting, assume_london, fmt, include, pack_digest(pack), tool_version())

    def job(self, pack: RulePack) -> Job:
        engine = build_engine("default", pack)
        intake = Intake(engine.offences, LONDON if self.assume_london else None)
        return Job(engine, self.reporting, intake, self.fmt, self.include)


def check_partition(recipe: Recipe, partition: Partition, part: str | None = None) -> Checked:
    """A Dask task: the partition's output pieces and summary. With `part` (a file path), its JSON Lines are
    written there instead (whole or absent), and only its rejections come back, with the summary."""
    job = _job(recipe)
    checked = Checked()
    if part is None:
        for block in partition.blocks():
            _add(checked, job.check(block))
        return checked
    with report_file(part, line_buffered=True) as out:
        writer = Spliced(FindingsWriter(out, "jsonl"), out)
        for block in partition.blocks():
            answer = job.check(block)
            write_part(writer, answer.pieces, recipe.include)
            _add(checked, answer, only=InputError)
    return checked


def write_part(writer: Spliced, pieces: list, include: frozenset[str]) -> None:
    """A partition's pieces as its part file holds them: findings and rejections in input order, no summary."""
    for piece in pieces:
        writer.write(piece, include)


def _add(checked: Checked, answer: Checked, only: type = object) -> None:
    checked.pieces.extend(piece for piece in answer.pieces if isinstance(piece, only))
    checked.summary.merge(answer.summary)


_lock = threading.Lock()
_packs: dict[tuple, RulePack] = {}    # this process's packs, by rule folders and digest: loaded once per pack
_threads = threading.local()          # each thread's Job for the current run
PACKS_KEPT = 4


def _job(recipe: Recipe) -> Job:
    jobs = getattr(_threads, "jobs", {})
    if recipe.run not in jobs:
        _threads.jobs = jobs = {recipe.run: recipe.job(_pack(recipe))}
    return jobs[recipe.run]


def _pack(recipe: Recipe) -> RulePack:
    """The recipe's pack, loaded once by each worker process for every run that uses it: the digest covers the
    rules, parameters and profile, so a pack loaded for an earlier run with the same digest is the same pack."""
    key = (recipe.folders, recipe.digest)
    with _lock:
        if key not in _packs:
            try:
                pack = _load(recipe.folders, recipe.profile)
            except HocrError as error:   # e.g. a rule folder not mounted here; RuleFileError does not pickle
                raise HocrError(f"on a Dask worker: {error}") from None
            if tool_version() != recipe.version or pack_digest(pack) != recipe.digest:
                raise HocrError(
                    f"this Dask worker has hocr-rules {tool_version()} with rule pack sha256:{pack_digest(pack)}, "
                    f"not the client's {recipe.version} with sha256:{recipe.digest}: install the same version "
                    "on every worker and put the rule folders on a filesystem they share, under the same path")
            if len(_packs) >= PACKS_KEPT:
                _packs.clear()
            _packs[key] = pack
        return _packs[key]


def _load(folders: tuple[str, ...], profile: Profile | None) -> RulePack:
    return RulePack.load([DEFAULT_RULES if f == BUNDLED else Path(f) for f in folders], profile)
