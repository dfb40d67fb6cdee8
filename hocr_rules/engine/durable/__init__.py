"""`--engine durable`: the rule pack run by durable-rules (Rete), with the same outcomes as our evaluator.

`conditions` holds durable's tests on a subject's fact, `terms` and `translator` turn one subject kind's
conditions into them, `pack` translates the whole pack into a durable ruleset, `engine` runs it incident by
incident, and `workers` runs many incidents in crash-isolated processes.

The traps of durable-rules 2.0.28 this package works around (each measured), and where:
- `from durable.lang import *` shadows the built-ins `any` and `all`: we drive the C module
  (`durable_rules_engine`) directly and import nothing from `durable.lang` (`engine`).
- A `none()` pattern is never withdrawn once it fired: no rule uses one; "not evaluable" is what no rule fired,
  decided in a final pass (`engine`), so no order of assertion matters.
- Joins on `id` or `sid` misbehave (durable uses both itself): subjects are named by `_ref` (`conditions.REF`).
- A process holds at most 1,024 sessions: each incident's session is deleted in every ruleset at once (`engine`).
- A ruleset holds at most 4,096 rules (error 106): each subject kind has rulesets of its own, a kind with more
  rules cut into several (`pack.Translation.rulesets`).
- A crash in the C code takes the process with it: many incidents run in spawned worker processes, and a crashed
  or stuck worker's batch goes to the default engine, said in the run's notes (`workers`).
- Ruleset names are global to the process: each name carries a UUID (`engine`).
- No wheels are published, and on Python 3.13+ it builds only with
  `CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject` (`engine.INSTALL_313`, `scripts/bootstrap.sh`).
- Datetimes do not cross into durable: facts hold times as numbers, seconds since the epoch (`facts.view`), and
  `engine._encode` checks each value has the type its translation expects.
"""

from hocr_rules.engine.durable.engine import DurableEngine, install_hint
from hocr_rules.engine.durable.pack import translate

__all__ = ["DurableEngine", "install_hint", "translate"]
