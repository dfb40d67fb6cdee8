"""`--engine durable`: the rule pack run by durable-rules (Rete), with the same outcomes as our evaluator.

`conditions` holds durable's tests on a subject's fact, `terms` and `translator` turn one subject kind's
conditions into them, `pack` translates the whole pack into a durable ruleset, `engine` runs it incident by
incident, and `workers` runs many incidents in crash-isolated processes.
"""

from hocr_rules.engine.durable.engine import DurableEngine, install_hint
from hocr_rules.engine.durable.pack import translate

__all__ = ["DurableEngine", "install_hint", "translate"]
