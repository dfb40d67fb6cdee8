"""Where the bundled rule pack is: the top-level `rules/` folder of a clone, or its copy inside an installed wheel.

`rules/` stays at the top of the repository, beside the package, because it is the pack a force reads, copies and
extends, not code. A wheel cannot carry a folder outside its packages, so the build (setup.py) copies it into the
package as `hocr_rules/bundled_rules`; an installed package (what pre-commit's own pip install gives) reads that
copy, and a clone or an editable install reads `rules/` itself. The copy is looked for first: beside an installed
package, `site-packages/rules` could be some other distribution's folder.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
INSTALLED_COPY = "bundled_rules"


def rules_folder() -> Path:
    installed = PACKAGE / INSTALLED_COPY
    return installed if installed.is_dir() else PACKAGE.parent / "rules"


RULES = rules_folder()
