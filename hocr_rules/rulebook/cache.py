"""The compiled-pack cache: what loading the rule pack makes from its files, kept between runs.

Most of a short run's wait was the pack: parsing some sixty YAML files (rules, indicators, parameters, phrases)
and compiling the code generated from their conditions. Both are pure functions of bytes we can hash, so each
result is kept under the SHA-256 of what it was made from, together with what made it: the package version,
the Python version, and the source of the module that produces it (so a changed parser or generator in an
unreleased checkout is never mistaken for the released one). An entry is therefore never stale: a changed rule
file has a new hash and simply misses, and its old entry is no longer read. What is kept is data, never
behaviour: YAML documents with their key lines (the rule files are still validated and checked on every load,
with the same errors) and code objects marshalled from generated source (the functions are made again from
them in a fresh namespace, with the slots the generator fills). No closure is pickled.

Each entry is one file, written to a temporary name and renamed into place, so concurrent runs never see half
an entry; it starts with a digest of its contents, so a damaged file is ignored and rebuilt. The folder is
`HOCR_CACHE_DIR`, else the user's cache folder (`$XDG_CACHE_HOME/hocr-rules` on Linux, via platformdirs);
`HOCR_NO_CACHE=1` or `hocr --no-cache` runs without it. A folder that cannot be written only costs speed. The
folder may be deleted at any time.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from functools import cache
from pathlib import Path
from types import CodeType
from typing import Any, Callable

DIR_VARIABLE = "HOCR_CACHE_DIR"
OFF_VARIABLE = "HOCR_NO_CACHE"
_MAGIC = b"hocr-cache 1\n"
_DIGEST = hashlib.sha256().digest_size


def folder() -> Path | None:
    """Where entries are kept, or None when the cache is switched off."""
    if os.environ.get(OFF_VARIABLE, "").strip() not in ("", "0"):
        return None
    chosen = os.environ.get(DIR_VARIABLE, "").strip()
    return Path(chosen) if chosen else _user_folder()


@cache
def _user_folder() -> Path:
    """The user's cache folder, found once: a pack load asks about two hundred times, and platformdirs reads the
    environment afresh on every call (5 ms of a 0.3 s start-up)."""
    import platformdirs  # here: only a run that uses the cache and names no folder needs it
    return Path(platformdirs.user_cache_dir("hocr-rules", appauthor=False))


def switch_off() -> None:
    """`hocr --no-cache`: this process (and any worker it starts) reads and writes no entries."""
    os.environ[OFF_VARIABLE] = "1"


def remember(kind: str, producer: str, content: str | bytes, make: Callable[[], Any]) -> Any:
    """`make()`, or the value it gave before for the same `content`, made by the same `producer` (a module's
    file) under the same package and Python versions. The value must be marshallable (data or code objects);
    one that is not is returned without being kept."""
    where = folder()
    if where is None:
        return make()
    data = content.encode("utf-8") if isinstance(content, str) else content
    key = hashlib.sha256(_salt(producer) + b"\0" + kind.encode() + b"\0" + data).hexdigest()
    path = where / f"{kind}-{key}"
    found = _read(path)
    if found is not _MISSING:
        return found
    value = make()
    _write(path, value)
    return value


def compiled(source: str, filename: str) -> CodeType:
    """`compile(source, filename, "exec")`, remembered: the code the pack compiler generates from rule files."""
    return remember("code", __file__, f"{filename}\0{source}", lambda: compile(source, filename, "exec"))


_MISSING = object()


def _read(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except OSError:
        return _MISSING
    head, digest, payload = raw[:len(_MAGIC)], raw[len(_MAGIC):len(_MAGIC) + _DIGEST], raw[len(_MAGIC) + _DIGEST:]
    if head != _MAGIC or hashlib.sha256(payload).digest() != digest:
        return _MISSING  # damaged or from another format: made again and written over
    try:
        return marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return _MISSING


def _write(path: Path, value: Any) -> None:
    try:
        payload = marshal.dumps(value)
    except ValueError:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".entry-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(_MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        return  # a read-only or full disk costs speed, never the run


@cache
def _salt(producer: str) -> bytes:
    """What else an entry depends on: the package and Python versions and the producing module's source."""
    from hocr_rules.provenance import tool_version  # here: provenance imports the pack, which imports us
    digest = hashlib.sha256(f"{tool_version()}\0{sys.version}\0{sys.implementation.cache_tag}\0".encode())
    try:
        digest.update(Path(producer).read_bytes())
    except OSError:  # a package that is not plain files (a zip import): its version stands for its source
        pass
    return digest.digest()
