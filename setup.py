"""Build hook: the wheel carries the bundled rule pack (hocr_rules.bundled explains where it is read from).

Everything else is declared in pyproject.toml. pyproject.toml cannot put a folder from outside the packages into
one of them while the packages are found automatically, so build_py copies `rules/` into the built package as
`hocr_rules/bundled_rules`. An editable install reads `rules/` in place and needs no copy.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithRulePack(build_py):
    def run(self):
        super().run()
        if not self.editable_mode:
            target = Path(self.build_lib) / "hocr_rules" / "bundled_rules"
            shutil.rmtree(target, ignore_errors=True)  # a rule file removed since the last build must not linger
            shutil.copytree(Path(__file__).parent / "rules", target)


setup(cmdclass={"build_py": BuildWithRulePack})
