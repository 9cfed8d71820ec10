"""The preview's side of the warm Sphinx (`builder.warm`): start it, ask it to rebuild, and start
it again whenever what it read once has changed.

Sphinx reads its configuration (from the settings, through the manifest) and the toolkit's code
when it starts, so a process started before an edit of either would build with the old ones:
before each rebuild the settings file and the code (`toolkit/`, `builder/` with its templates,
`conf.py`) are fingerprinted, and a different fingerprint, or a process that has ended, means a
new process.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from toolkit.content.shipped import PROJECT
from toolkit.core.protocol import MANIFEST, MANIFEST_VARIABLE, WARM_BUILD, WARM_CRASHED, WARM_REPLY, WARM_STOPPED

_TOOLKIT = Path(__file__).resolve().parents[1]   # the toolkit package (this is toolkit/site/)
# The code Sphinx runs: both packages, side by side in a checkout and in site-packages alike.
CODE = tuple(folder for folder in (_TOOLKIT, _TOOLKIT.parent / "builder") if folder.is_dir())
STOP_SECONDS = 10
# Sphinx lines that say nothing to an author (the cache folder is not the site).
NOISE = ("myst v", "Running Sphinx", "loading translations", "loading pickled")


def code_fingerprint() -> str:
    """Names, sizes and times of the toolkit's code and templates: any edit changes it."""
    listing = []
    for folder in CODE:
        for parent, folders, files in os.walk(folder):
            folders[:] = [f for f in folders if f != "__pycache__"]
            for file in files:
                stat = os.stat(os.path.join(parent, file))
                listing.append((parent, file, stat.st_size, stat.st_mtime_ns))
    stat = (PROJECT / "conf.py").stat()
    listing.append(("conf.py", stat.st_size, stat.st_mtime_ns))
    return hashlib.sha1(repr(sorted(listing)).encode()).hexdigest()


class WarmSphinx:
    """One warm Sphinx for a preview; `rebuild` returns its reply: (outcome, detail)."""

    def __init__(self, settings_file: Path, cache: Path, today: str | None) -> None:
        self.settings_file = settings_file.resolve()
        self.cache = cache
        self.today = today
        self.process: subprocess.Popen[str] | None = None
        self.fingerprint = ""
        self.starts = 0
        self.building = False
        self.stopped = False
        self.interrupted = False   # a build ended by a signal half-way: what it wrote is not whole

    def _current(self) -> str:
        try:
            settings = self.settings_file.read_bytes()
        except OSError:
            settings = b""
        return hashlib.sha1(settings).hexdigest() + code_fingerprint()

    def _start(self, fingerprint: str) -> None:
        changed = fingerprint != self.fingerprint
        self.stop()
        command = [sys.executable, "-m", "builder.warm", "--site", str(self.settings_file)]
        if self.today:
            command += ["--today", self.today]
        env = os.environ | {MANIFEST_VARIABLE: str(self.cache / MANIFEST), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, env=env, cwd=PROJECT, bufsize=1,
                                        start_new_session=True)   # stopped by the preview, not by its signals
        self.fingerprint = fingerprint
        self.starts += 1
        if self.starts > 1:
            why = "the settings or the toolkit changed" if changed else "Sphinx had ended"
            print(f"toolkit serve: {why}; Sphinx started again", file=sys.stderr)

    def rebuild(self) -> tuple[str, str]:
        """Check, stage and build what changed; relay what Sphinx says, and return its reply. A
        process ended from outside (killed, not by `stop`) is replaced once and asked again."""
        outcome, detail = self._ask()
        killed = self.process is not None and self.process.poll() is not None and self.process.returncode < 0
        if killed and not self.stopped:
            outcome, detail = self._ask()
        return outcome, detail

    def _ask(self) -> tuple[str, str]:
        if self.stopped:
            return WARM_STOPPED, ""
        fingerprint = self._current()
        if self.process is None or self.process.poll() is not None or fingerprint != self.fingerprint:
            self._start(fingerprint)
        assert self.process is not None and self.process.stdin is not None and self.process.stdout is not None
        self.building = True
        try:
            self.process.stdin.write(WARM_BUILD + "\n")
            self.process.stdin.flush()
            for line in self.process.stdout:
                if line.startswith(WARM_REPLY):
                    outcome, _, detail = line[len(WARM_REPLY):].strip().partition(" ")
                    self.interrupted = False
                    return outcome, detail
                if not line.startswith(NOISE):
                    sys.stderr.write(line)
        except (BrokenPipeError, ValueError):   # it ended, or `stop` closed its pipes
            pass
        finally:
            self.building = False
        status = self.process.wait()
        if status < 0 or self.stopped:   # ended by a signal, or by `stop`
            self.interrupted = True
            return WARM_STOPPED, ""
        return WARM_CRASHED, f"the build process ended with exit status {status}"

    def stopping(self) -> None:
        """The preview is shutting down (from its signal handler): start no other Sphinx, and end
        a build under way rather than wait for it."""
        self.stopped = True
        if self.building and self.process is not None:
            self.process.kill()

    def stop(self, final: bool = False) -> bool:
        """End the process: at once when it is building. Returns False when it was stopped while
        building, so what it was writing must not be trusted; `final`: start no other."""
        self.stopped = self.stopped or final
        if self.process is None:
            return True
        clean = not self.building and not self.interrupted
        if not clean and self.process.poll() is None:
            self.process.kill()
        if self.process.poll() is None:
            assert self.process.stdin is not None
            try:
                self.process.stdin.close()
                self.process.wait(timeout=STOP_SECONDS)
            except (BrokenPipeError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        self.process.wait()
        if clean:
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None and not stream.closed:
                    stream.close()
        self.process = None
        return clean
