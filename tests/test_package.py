"""The toolkit as a council's web team gets it: built into an sdist, the wheel built from that sdist,
installed into a new virtual environment in a temporary folder (no checkout anywhere near), then
`toolkit init`, a local page, content packs built by the test, and the CI commands the README
and the generated CI files give, run verbatim.

Costly by nature (a package build, an install, a build of the shipped site), so it is done once
per module: the fixtures below carry one site through the steps and the tests assert on them.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.conftest import REPO, SMALL_SITE, TODAY, page
from toolkit import __version__

DISTRIBUTION = "practice-leadership-toolkit"


@dataclass
class Installed:
    """The built distributions and the fresh environment the wheel is installed in."""

    dist: Path
    venv: Path
    home: Path          # a temporary folder outside any checkout, where sites are made
    timings: dict[str, float]
    offline: bool = False   # once the toolkit's dependencies are installed, pip needs no index

    def env(self) -> dict[str, str]:
        """What a web team's shell has: the environment's commands first, the wheel findable by pip."""
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        return env | {"PATH": f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", "VIRTUAL_ENV": str(self.venv),
                      "PIP_FIND_LINKS": f"{self.dist} {os.environ.get('PIP_FIND_LINKS', '')}".strip(),
                      "TOOLKIT_TODAY": TODAY} | ({"PIP_NO_INDEX": "1"} if self.offline else {})

    def run(self, command: str | list[str], cwd: Path, timeout: int = 900) -> subprocess.CompletedProcess[str]:
        """A command as typed in a shell (a string) or as arguments; output captured."""
        started = time.monotonic()
        done = subprocess.run(command, shell=isinstance(command, str), cwd=cwd, env=self.env(), text=True,
                              capture_output=True, timeout=timeout,
                              executable="/bin/bash" if isinstance(command, str) else None)
        self.timings[command if isinstance(command, str) else shlex.join(command)] = time.monotonic() - started
        return done

    def toolkit(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return self.run([str(self.venv / "bin" / "toolkit"), *args], cwd)


def _timed(timings: dict[str, float], name: str, command: list[str], **kwargs: object) -> None:
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    timings[name] = time.monotonic() - started
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """`python -m build` (the sdist, then the wheel from the sdist), then a new venv with the wheel."""
    home = tmp_path_factory.mktemp("council")
    dist, venv, timings = home / "dist", home / "venv", {}
    _timed(timings, "python -m build", [sys.executable, "-m", "build", "--outdir", str(dist), str(REPO)])
    _timed(timings, "python -m venv", [sys.executable, "-m", "venv", str(venv)])
    result = Installed(dist, venv, home, timings)
    install = result.run([str(venv / "bin" / "pip"), "install", "--quiet", f"{DISTRIBUTION}=={__version__}"], home)
    assert install.returncode == 0, install.stderr[-3000:]
    result.offline = True
    return result


def _pack_project(folder: Path, name: str, module: str, pages: dict[str, str], version: str) -> Path:
    """A content pack's source, as the README describes it: a package whose folder is a content root."""
    project = folder / f"{module}-{version}"
    package = project / module
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""A content pack: this folder is a content root."""\n')
    for relative, text in pages.items():
        (package / relative).parent.mkdir(parents=True, exist_ok=True)
        (package / relative).write_text(text, encoding="utf-8")
    (project / "pyproject.toml").write_text(
        f'[build-system]\nrequires = ["setuptools>=77"]\nbuild-backend = "setuptools.build_meta"\n\n'
        f'[project]\nname = "{module.replace("_", "-")}"\nversion = "{version}"\n\n'
        f'[project.entry-points."practice_leadership_toolkit.content"]\n{name} = "{module}"\n\n'
        f'[tool.setuptools]\npackages = ["{module}"]\n\n'
        f'[tool.setuptools.package-data]\n{module} = ["**/*"]\n')
    return project


@pytest.fixture(scope="module")
def packs(installed: Installed) -> Path:
    """The test's packs, built into wheels with the test's own setuptools (a build environment for
    each would cost 20 s)."""
    sources, wheels = installed.home / "pack-sources", installed.home / "packs"
    westmids = "regional/regional-offer.md"
    projects = [_pack_project(sources, "westmids", "westmids_baseline", {westmids: REGIONAL}, "1.0"),
                _pack_project(sources, "westmids", "westmids_baseline", {westmids: REGIONAL_UPGRADED}, "2.0"),
                _pack_project(sources, "northshire", "northshire_pages",
                              {"regional-offer.md": NORTHSHIRE_REGIONAL}, "1.0")]
    for project in projects:
        _timed(installed.timings, f"build pack {project.name}",
               [sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir", str(wheels), str(project)])
    return wheels


def _install_pack(installed: Installed, packs: Path, distribution: str, version: str) -> None:
    done = installed.run([str(installed.venv / "bin" / "pip"), "install", "--quiet", "--no-deps", "--no-index",
                          str(next(packs.glob(f"{distribution}-{version}-*.whl")))], installed.home)
    assert done.returncode == 0, done.stderr[-3000:]


REGIONAL = page("regional-offer", "The regional learning offer for every council in the partnership.",
                title="Regional learning offer")
NORTHSHIRE_REGIONAL = page("regional-offer", "Northshire's own version of the regional learning offer.",
                           title="Regional learning offer (Northshire)")
REGIONAL_UPGRADED = REGIONAL.replace("for every council", "for every council, now with a mentoring scheme")
LOCAL = page("our-duty-team", "How the duty team in our council works, and who to ask.", title="Our duty team")


def _fill_contacts(settings: Path, content: str) -> None:
    text = settings.read_text(encoding="utf-8")
    text = re.sub(r'email: "fill in:[^"]*"', "email: psw@anytown.example", text)
    text = re.sub(r'accessibility: "fill in:[^"]*"', "accessibility: web@anytown.example", text)
    settings.write_text(re.sub(r"^content: .*$", f"content: {content}", text, flags=re.M), encoding="utf-8")


@dataclass
class Council:
    folder: Path
    first_check: subprocess.CompletedProcess[str]
    ci: list[tuple[str, subprocess.CompletedProcess[str]]]


@pytest.fixture(scope="module")
def council(installed: Installed, packs: Path) -> Council:
    """`toolkit init`, check with the placeholders, fill the settings, add a page, install the
    regional pack, then run the generated CI file's commands verbatim."""
    made = installed.toolkit("init", "anytown", "--name", "Anytown Practice Toolkit",
                             "--organisation", "Anytown Council", cwd=installed.home)
    assert made.returncode == 0, made.stderr
    folder = installed.home / "anytown"
    first_check = installed.toolkit("check", cwd=folder)
    _fill_contacts(folder / "site.yaml", '["@toolkit", "@westmids", local]')
    (folder / "local" / "our-duty-team.md").write_text(LOCAL, encoding="utf-8")
    (folder / "conf.py").write_text('raise SystemExit("a conf.py beside the settings was run")\nproject = "HIJACK"\n')
    _install_pack(installed, packs, "westmids_baseline", "1.0")
    workflow = yaml.safe_load((folder / ".github" / "workflows" / "toolkit.yml").read_text())
    commands = [step["run"] for step in workflow["jobs"]["build"]["steps"] if "run" in step]
    gitlab = yaml.safe_load((folder / ".gitlab-ci.yml").read_text())
    assert gitlab["site"]["script"] == commands, "the two CI files should run the same commands"
    ci = []
    for command in commands:
        ci.append((command, installed.run(command, folder)))
        if ci[-1][1].returncode != 0:
            break
    return Council(folder, first_check, ci)


def test_the_wheel_and_sdist_carry_everything_a_build_needs(installed: Installed) -> None:
    wheel = next(installed.dist.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"toolkit/_shipped/content/{p.relative_to(REPO / 'content').as_posix()}"
               for p in (REPO / "content").rglob("*") if p.is_file()}
    assert shipped <= names, sorted(shipped - names)[:5]
    assert "toolkit/_shipped/conf.py" in names
    for folder in ("templates", "static"):
        expected = {f"builder/{folder}/{p.relative_to(REPO / 'builder' / folder).as_posix()}"
                    for p in (REPO / "builder" / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts}
        assert expected <= names
    sdist = next(installed.dist.glob("*.tar.gz"))
    listing = subprocess.run(["tar", "tzf", str(sdist)], capture_output=True, text=True, check=True).stdout
    for needed in ("/conf.py", "/content/site/contribute.md", "/CHANGELOG.md", "/pyproject.toml"):
        assert needed in listing
    print(f"\nwheel {wheel.name}: {wheel.stat().st_size / 1024:.0f} KiB; sdist {sdist.stat().st_size / 1024:.0f} KiB")


def test_the_installed_toolkit_runs_from_its_environment_not_a_checkout(installed: Installed) -> None:
    version = installed.toolkit("--version", cwd=installed.home)
    assert version.returncode == 0 and version.stdout.strip().endswith(__version__)
    where = installed.run([str(installed.venv / "bin" / "python"), "-c",
                           "import toolkit.content.shipped as s; print(s.PROJECT); print(s.CONTENT)"], installed.home)
    project, content = (Path(line) for line in where.stdout.split())
    assert project.is_relative_to(installed.venv) and (project / "conf.py").is_file()
    assert (content / "site" / "contribute.md").is_file()


def test_init_writes_a_site_whose_placeholders_fail_the_check(council: Council) -> None:
    files = {p.relative_to(council.folder).as_posix() for p in council.folder.rglob("*") if p.is_file()}
    for expected in ("site.yaml", "local/local-arrangements.md", ".gitignore", "README.md", "requirements.txt",
                     ".github/workflows/toolkit.yml", ".gitlab-ci.yml"):
        assert expected in files
    assert (council.folder / "branding").is_dir()
    assert f"{DISTRIBUTION}=={__version__}" in (council.folder / "requirements.txt").read_text()
    assert council.first_check.returncode == 1
    assert "site.yaml:8: error: contact.email should be an email address" in council.first_check.stdout
    assert "site.yaml:9: error: contact.accessibility should be an email address" in council.first_check.stdout


def test_the_ci_commands_check_and_build_the_site_with_local_pages_and_a_pack(council: Council) -> None:
    for command, done in council.ci:
        assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    public = council.folder / "public"
    home = (public / "index.html").read_text(encoding="utf-8")
    assert "Anytown Practice Toolkit" in home
    assert "Our duty team" in (public / "our-duty-team.html").read_text(encoding="utf-8")
    assert "Our local arrangements" in (public / "local-arrangements.html").read_text(encoding="utf-8")
    assert "regional learning offer for every council" in (public / "regional-offer.html").read_text(encoding="utf-8")
    assert "psw@anytown.example" in (public / "genograms.html").read_text(encoding="utf-8")   # shipped page
    assert not any("HIJACK" in p.read_text(encoding="utf-8") for p in public.glob("*.html"))
    reference = " ".join(BeautifulSoup((public / "authoring-reference.html").read_text(encoding="utf-8"),
                                       "html.parser").get_text().split())   # the contract, on the site
    assert "toolkit init [--name NAME] [--organisation ORGANISATION]" in reference
    assert "personal_data_allow" in reference
    assert not (public / "_assets").exists() or not list((public / "_assets").rglob("__init__.py"))


def test_init_refuses_a_folder_that_is_not_empty(installed: Installed, council: Council) -> None:
    before = {p: p.read_bytes() for p in council.folder.rglob("*") if p.is_file()}
    refused = installed.toolkit("init", str(council.folder), "--name", "X", "--organisation", "Y", cwd=installed.home)
    assert refused.returncode == 2
    assert "is not empty" in refused.stderr and "nothing was written" in refused.stderr
    assert {p: p.read_bytes() for p in council.folder.rglob("*") if p.is_file()} == before


def test_init_asks_for_the_name_only_when_someone_can_answer(installed: Installed) -> None:
    refused = installed.toolkit("init", "no-name", cwd=installed.home)
    assert refused.returncode == 2 and "--name" in refused.stderr and "Traceback" not in refused.stderr
    assert not (installed.home / "no-name").exists()


def test_a_pack_that_is_not_installed_gets_did_you_mean(installed: Installed, council: Council) -> None:
    settings = council.folder / "site.yaml"
    original = settings.read_text(encoding="utf-8")
    try:
        settings.write_text(original.replace('"@westmids"', '"@westmid"'), encoding="utf-8")
        checked = installed.toolkit("check", cwd=council.folder)
    finally:
        settings.write_text(original, encoding="utf-8")
    line = next(n for n, text in enumerate(original.splitlines(), 1) if text.startswith("content:"))
    assert checked.returncode == 1
    assert (f"site.yaml:{line}: error: content root '@westmid' is not an installed content pack; "
            "did you mean '@westmids'?") in checked.stdout
    assert "installed packs: @toolkit, @westmids" in checked.stdout


def test_readme_ci_example_runs_verbatim(installed: Installed) -> None:
    """The README's CI matrix: its `run:` line, with each matrix value put in as CI does."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "matrix" in b)
    example = yaml.safe_load(block)
    repository = installed.home / "ci-matrix"
    for org in example["strategy"]["matrix"]["org"]:
        shutil.copytree(SMALL_SITE, repository / "sites" / org, ignore=shutil.ignore_patterns("_build"))
    for org in example["strategy"]["matrix"]["org"]:
        for step in example["steps"]:
            command = step["run"].replace("${{ matrix.org }}", org)
            done = installed.run(command, repository)
            assert done.returncode == 0, f"{command}\n{done.stderr[-3000:]}"
        assert "Testshire" in (repository / "public" / org / "index.html").read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_answers_a_request(installed: Installed) -> None:
    folder = installed.home / "serve-site"
    shutil.copytree(SMALL_SITE, folder, ignore=shutil.ignore_patterns("_build"))
    port = _free_port()
    server = subprocess.Popen([str(installed.venv / "bin" / "toolkit"), "serve", "--port", str(port)], cwd=folder,
                              env=installed.env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline, body = time.monotonic() + 300, ""
        while time.monotonic() < deadline and server.poll() is None and not body:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    body = response.read().decode("utf-8")
            except OSError:
                time.sleep(1)
        assert "Testshire Practice Toolkit" in body, server.stderr.read() if server.poll() is not None else ""
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_two_packs_with_one_page_id_are_reported_as_a_replacement_in_order(installed: Installed, packs: Path,
                                                                           council: Council) -> None:
    _install_pack(installed, packs, "northshire_pages", "1.0")
    settings = council.folder / "site.yaml"
    original = settings.read_text(encoding="utf-8")
    try:
        settings.write_text(original.replace('"@westmids"', '"@westmids", "@northshire"'), encoding="utf-8")
        checked = installed.toolkit("check", cwd=council.folder)
        report = installed.toolkit("report", "overrides", "--format", "json", cwd=council.folder)
    finally:
        settings.write_text(original, encoding="utf-8")
    assert checked.returncode == 0, checked.stdout
    assert ("@northshire/regional-offer.md:2: info: replaces 'regional-offer' from "
            "@westmids/regional/regional-offer.md") in checked.stdout
    rows = [(r["local"], r["shipped"]) for r in json.loads(report.stdout)]
    assert ("@northshire/regional-offer.md", "@westmids/regional/regional-offer.md") in rows


def test_an_upgraded_pack_page_is_reported_by_content_with_a_diff(installed: Installed, packs: Path,
                                                                 council: Council) -> None:
    """A council replaces the pack's page, records its review, then the pack is upgraded: the
    report says the page changed, shows the diff, and --fail-on-change fails the job."""
    (council.folder / "local" / "regional-offer.md").write_text(
        page("regional-offer", "Anytown's version of the regional offer."), encoding="utf-8")
    before = installed.toolkit("report", "overrides", "--fail-on-change", cwd=council.folder)
    assert before.returncode == 0 and "by dates" in before.stdout
    accepted = installed.toolkit("report", "overrides", "--accept", "regional-offer", cwd=council.folder)
    assert accepted.returncode == 0, accepted.stderr
    assert "unchanged since it was reviewed" in accepted.stdout
    _install_pack(installed, packs, "westmids_baseline", "2.0")
    after = installed.toolkit("report", "overrides", "--fail-on-change", cwd=council.folder)
    assert after.returncode == 1
    assert "local/regional-offer.md replaces @westmids/regional/regional-offer.md: the replaced page CHANGED" \
        in after.stdout
    assert "-The regional learning offer for every council in the partnership." in after.stdout
    assert "+The regional learning offer for every council, now with a mentoring scheme in the partnership." \
        in after.stdout
    print("\n" + "\n".join(f"{seconds:6.1f} s  {command}" for command, seconds in installed.timings.items()))
