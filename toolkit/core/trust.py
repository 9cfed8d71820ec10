"""No code from content: the build cache is trusted only when this user's own toolkit wrote it.

The cache beside the settings file holds Python pickles (Sphinx's environment and doctrees) and
compiled Jinja templates, which run code when read back, and files that are published. It sits
in a folder authors commit to, so a cache planted in a repository would otherwise run at the next
build. After each build the toolkit seals the cache: an HMAC, with a key kept in the user's own
cache folder (`$XDG_CACHE_HOME` or `~/.cache`, never the site folder), over every file's name and
size and, for everything that is unpickled or unmarshalled, its content. A cache whose seal is
missing or wrong (planted, copied from another machine, a build that was stopped half-way), or
that lies inside a content root, is emptied and the site built from scratch. The lint cache is
signed with the same key (cache.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import shutil
from pathlib import Path

KEY_NAME = "cache-key"
SEAL = "seal"
# Read back as code or objects (pickles, marshalled templates): their content is sealed, not
# just their size and time.
LOADED_FOLDER = "doctrees"
# Not part of the seal: the lock is the build's, the lint cache is signed itself (`toolkit check`
# writes it while a build may run), and the live preview's cache is sealed on its own.
LINT_CACHE = "lint-cache.json"
UNSEALED = ("build.lock", "build.lock.who", SEAL, LINT_CACHE, "serve")


def key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "practice-toolkit" / KEY_NAME


def user_key() -> bytes | None:
    """This user's key, made on first use (readable by them alone); None when it cannot be kept,
    and then no cache is ever trusted."""
    path = key_file()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return _new_key(path)
    except OSError:
        return None
    return data if len(data) >= 32 else None


def _new_key(path: Path) -> bytes | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_name(f"{KEY_NAME}.{os.getpid()}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(secrets.token_bytes(32))
        with contextlib.suppress(FileExistsError):   # another process made one meanwhile: keep theirs
            os.link(temporary, path)
        os.unlink(temporary)
        return path.read_bytes()
    except OSError:
        return None


def sign(data: bytes) -> str | None:
    key = user_key()
    return hmac.new(key, data, hashlib.sha256).hexdigest() if key else None


def signed(data: bytes, mac: str) -> bool:
    expected = sign(data)
    return expected is not None and hmac.compare_digest(expected, mac)


def read_signed(path: Path) -> object | None:
    """The JSON data of a file `write_signed` wrote with this user's key; None for a file that is
    missing, damaged, planted or written by anyone else."""
    try:
        mac, _, text = path.read_bytes().partition(b"\n")
        return json.loads(text) if signed(text, mac.decode("ascii")) else None
    except (OSError, ValueError):
        return None


def write_signed(path: Path, data: object) -> None:
    """`data` as JSON, signed with this user's key and put in place whole; nothing is kept when
    there is no key (nobody could trust it) or the file cannot be written (it only costs speed)."""
    text = json.dumps(data).encode("utf-8")
    mac = sign(text)
    if mac is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(mac.encode("ascii") + b"\n" + text)
        temporary.replace(path)
    except OSError:
        pass


def _digest(cache: Path) -> bytes:
    """Every file of the cache: name, size and time, and the content of what is loaded as code."""
    digest = hashlib.sha256()
    loaded = cache / LOADED_FOLDER
    for folder, subfolders, names in os.walk(cache):
        if folder == str(cache):
            subfolders[:] = [name for name in subfolders if name not in UNSEALED]
        subfolders.sort()
        for name in sorted(names):
            path = Path(folder) / name
            relative = path.relative_to(cache).as_posix()
            if relative in UNSEALED:
                continue
            stat = path.lstat()
            digest.update(f"{relative}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_mode}\0".encode())
            if path.is_relative_to(loaded):
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


def seal(cache: Path) -> None:
    """Mark the cache as this user's toolkit left it (after a build that ran to its end)."""
    mac = sign(_digest(cache)) if cache.is_dir() else None
    if mac is not None:
        (cache / SEAL).write_text(mac, encoding="ascii")


def unseal(cache: Path) -> None:
    """Withdraw the seal while a build changes the cache: stopped half-way, it is not trusted."""
    (cache / SEAL).unlink(missing_ok=True)


def is_sealed(cache: Path) -> bool:
    try:
        mac = (cache / SEAL).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return False
    return signed(_digest(cache), mac)


def root_holding(cache: Path, roots: tuple[Path, ...]) -> Path | None:
    """The content root the cache folder lies inside, if any."""
    resolved = cache.resolve()
    return next((root for root in roots if resolved.is_relative_to(root.resolve())), None)


def empty(cache: Path) -> None:
    """Remove everything the cache holds but what is not sealed with it, so the build starts from nothing."""
    if not cache.is_dir():
        return
    for entry in cache.iterdir():
        if entry.name in UNSEALED:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def prepare(cache: Path, roots: tuple[Path, ...], fresh: bool) -> str | None:
    """Empty the cache unless this user's toolkit sealed it and it is outside every root; return
    a warning to show, when there is one (the cache inside a content root)."""
    holder = root_holding(cache, roots)
    untrusted = fresh or holder is not None or (cache.is_dir() and not is_sealed(cache))
    if untrusted:
        empty(cache)
    if fresh:
        (cache / LINT_CACHE).unlink(missing_ok=True)
    unseal(cache)
    if holder is not None:
        return (f"the build cache {cache} is inside the content root {holder}, where authors can change it: "
                "it is not trusted, so every build starts from scratch (keep the settings file outside "
                "its content roots)")
    return None
