"""The engines by the names `--engine` takes, built from a loaded pack: one place for the CLI and the benchmark."""

from __future__ import annotations

from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.errors import HocrError
from hocr_rules.rulebook.pack import RulePack

NAMES = ("default", "durable", "both")


def build_engine(name: str, pack: RulePack, workers: int | None = None):
    """`default` is our evaluator; `durable` runs durable-rules in worker processes; `both` compares them.
    Raises EngineUnavailable (with how to install it) when durable-rules cannot be imported."""
    if name == "default":
        return Evaluator(pack)
    if name not in NAMES:
        raise HocrError(f"unknown engine '{name}'; choose one of {', '.join(NAMES)}")
    from hocr_rules.engine.durable import DurableEngine  # imported only when asked for
    durable = DurableEngine(pack, workers=workers)
    if name == "durable":
        return durable
    from hocr_rules.engine.comparison import BothEngines
    return BothEngines(Evaluator(pack, durable.offences), durable)
