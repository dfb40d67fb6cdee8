"""The `hocr` command: only assembles the commands, which live in their own modules (imported when named)."""

from typing import Annotated

from hocr_rules import collector

with collector.paused():  # typer and click: the first of the imports (hocr_rules/collector.py)
    import typer

    from cli import lazy

#: Each command's name, in the order `hocr --help` lists them, and where it lives ("module:attribute"): a
#: command function or a Typer app of subcommands. Only the command that runs is imported (cli/lazy.py).
COMMANDS = {
    "check": "cli.check:check",
    "explain": "cli.explain:explain",
    "schema": "cli.schema:schema",
    "audit": "cli.audit:audit",
    "sample": "cli.sample:sample",
    "sample-size": "cli.sample:sample_size",
    "rules": "cli.rules:app",
    "mapping": "cli.mapping:app",
    "distributed": "cli.distributed:distributed",
}

app = typer.Typer(name="hocr", help="Check police crime recording against the Home Office Crime Recording Rules.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
                  cls=lazy.group(COMMANDS))


def _version(asked: bool) -> None:
    if asked:
        from cli.options import user_errors  # here, not above: `hocr check` need not import it before its own
        user_errors(_print_version)()
        raise typer.Exit()


def _print_version() -> None:
    """The package version and the digest of the rule pack a run here would use (settings file included), so
    a result can be tied to the rules that made it; and which YAML parser read the rule files."""
    from cli import render
    from cli.options import load_pack
    from hocr_rules.provenance import pack_digest, tool_version
    from hocr_rules.rulebook.yamlparse import PARSER
    pack = load_pack(None, None)
    render.console().print(f"hocr {tool_version()} (rule pack sha256:{pack_digest(pack)}, "
                           f"{len(pack.rules)} rules, profile {pack.profile.name}; YAML read by {PARSER})")


def _no_cache(asked: bool) -> None:
    if asked:
        from hocr_rules.rulebook import cache
        cache.switch_off()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Show the version and the rule pack's digest, and exit.")]
         = False,
         no_cache: Annotated[bool, typer.Option(
             "--no-cache", callback=_no_cache, is_eager=True,
             help="Read and compile every rule file instead of using the compiled-pack cache (also "
                  "HOCR_NO_CACHE=1; HOCR_CACHE_DIR moves it).")] = False) -> None:
    """Check police crime recording against the Home Office Crime Recording Rules."""


def run() -> None:
    """The `hocr` program (its console script and `python -m cli.main`): `app` in a process of its own, so the
    start-up's objects may be frozen out of the cycle collector's walks once the pack is loaded
    (hocr_rules/collector.py). Tests and other programs call `app` in their own process, where nothing is."""
    collector.own_process()
    app()


if __name__ == "__main__":
    run()
