"""Ships the product files — templates/, docs/, mkdocs.yml — inside the package.

They stay at the top of the repository (where a register keeps its own), and there is only
that one copy in Git: building the package copies them into `klachtenregister/_product/`,
where `paths.PRODUCT_DIR` finds them in an installed (non-editable) package. An editable
install reads them from the checkout instead. Everything else is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
PRODUCT_FILES = ("templates", "docs", "mkdocs.yml")


class BuildWithProductFiles(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the checkout itself is the product directory
        target = Path(self.build_lib) / "klachtenregister" / "_product"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for name in PRODUCT_FILES:
            source = HERE / name
            if source.is_dir():
                shutil.copytree(source, target / name, ignore=shutil.ignore_patterns(".*", "__pycache__"))
            else:
                shutil.copy2(source, target / name)


setup(cmdclass={"build_py": BuildWithProductFiles})
