"""`python -m bench.run [--sizes 200,1000,5000] [--quick]`: the toolkit timed against plain Sphinx
and MkDocs Material on the same synthetic pages, in one run.

For each size: `toolkit check` from cold and again with its lint cache; `toolkit build` from
cold with `-j 1` and `-j auto`; a rebuild after editing one page's body and maps_to (checking
that the page, its new statement page and the coverage listing show the edit); plain
`sphinx-build` with MyST and alabaster (bench/plain/conf.py) with `-j 1` and `-j auto`; and
`mkdocs build` with mkdocs-material from its own venv (bench/.venv-mkdocs), if it installs;
and a reader's first search through the built site's search page in Chromium, after the fresh
build and after the rebuild, against one plain Pagefind index of the same pages, with the
indexer's time for the whole site and after one edit (bench/search_scale.py); and, first, the genogram
layout of the generated families of bench/genogram_layout.py at the sizes with a goal.
Wall time, CPU time (user + system of the whole process tree) and peak memory (the sum of
PSS over the process tree, sampled) are written to bench/results/results.json and
results.md, with the toolkit/plain ratios and the issue's targets, met or not.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench import genogram_layout, search_scale
from bench.preview import measure_latency, preview_targets
from bench.synthetic import edit_one_page, edit_shown, write_site

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work"
CODE = WORK / "code"   # the snapshot of the code the run times
RESULTS = HERE / "results"
MKDOCS_VENV = HERE / ".venv-mkdocs"
TODAY = "2026-11-22"
SAMPLE_SECONDS = 0.25
# Plain Sphinx at its fastest here: the main process resolves pages while N-1 workers write,
# so N+1 processes on N cores (measured: -j 3 beats -j 2 on 2 cores). The toolkit's `-j auto`
# is N, since its workers resolve and write (builder/parallel.py).
JOBS_AUTO = str((os.cpu_count() or 1) + 1)
MIB = 1024 * 1024
# Above this size the serial plain baseline and MkDocs (705 s at 5,000 pages, its navigation is
# quadratic) add half an hour and no target uses them, and the steps run once, not --repeat times.
PLAIN_SERIAL_MAX = 1000


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _memory(pid: int) -> int:
    """Proportional set size in bytes (shared pages split between processes), else RSS."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        return int(re.search(r"^Pss:\s+(\d+) kB", text, re.M).group(1)) * 1024  # type: ignore[union-attr]
    except (OSError, AttributeError):
        try:
            return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            return 0


def tree_memory(root: int) -> int:
    tree, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        total += _memory(pid)
        todo += tree.get(pid, [])
    return total


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict:
    """Run a command; return its exit status, wall and CPU seconds and peak tree memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(SAMPLE_SECONDS):
            peak[0] = max(peak[0], tree_memory(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"status": process.returncode, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "peak_mib": round(peak[0] / MIB), "largest_process_mib": round(after.ru_maxrss / 1024),
            "load_before": round(load, 2), "output_tail": output[-1500:] if process.returncode else ""}


def snapshot_code() -> Path:
    """A copy of the toolkit's code taken when the run starts, which the runs import: edits made to
    the checkout during a long run then neither change the figures nor (through the builder's code
    version) force Sphinx to re-read every page on the one-edit rebuild."""
    target = CODE
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name in ("toolkit", "builder", "content"):
        shutil.copytree(REPO / name, target / name, ignore=shutil.ignore_patterns("__pycache__", "_build"))
    shutil.copy2(REPO / "conf.py", target / "conf.py")
    return target


def toolkit(site: Path, *args: str) -> dict:
    env = os.environ | {"TOOLKIT_TODAY": TODAY, "PYTHONPATH": str(CODE)}
    return measure([sys.executable, "-m", "toolkit", *args, "--site", str(site / "site.yaml")], site, env)


def _body(text: str) -> str:
    return text.split("\n---\n", 1)[1]


def plain_sources(site: Path, target: Path) -> Path:
    """The same page bodies as `<id>.md`, marked orphan (no whole-site toctree), and an index."""
    source = target / "src"
    source.mkdir(parents=True)
    ids = []
    for path in sorted((site / "content").rglob("*.md")):
        page_id = re.search(r"^id: (\S+)$", path.read_text(encoding="utf-8"), re.M).group(1)  # type: ignore[union-attr]
        ids.append(page_id)
        (source / f"{page_id}.md").write_text("---\norphan: true\n---\n" + _body(path.read_text(encoding="utf-8")),
                                              encoding="utf-8")
    (source / "index.md").write_text("# Benchshire Practice Toolkit\n\n" + "".join(
        f"- {{doc}}`{page_id}`\n" for page_id in ids), encoding="utf-8")
    return source


def plain_sphinx(site: Path, target: Path, jobs: str) -> dict:
    shutil.rmtree(target, ignore_errors=True)
    source = plain_sources(site, target)
    return measure([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-c", str(HERE / "plain"), "-j", jobs,
                    str(source), str(target / "html")], REPO)


def mkdocs_ready() -> str:
    """'' when MkDocs Material is installed in its own venv (installing it now if need be), else why not."""
    binary = MKDOCS_VENV / "bin" / "mkdocs"
    if binary.exists():
        return ""
    try:
        subprocess.run([sys.executable, "-m", "venv", str(MKDOCS_VENV)], check=True, capture_output=True)
        subprocess.run([str(MKDOCS_VENV / "bin" / "pip"), "install", "--quiet", "mkdocs-material"], check=True,
                       capture_output=True, timeout=900)
    except (subprocess.SubprocessError, OSError) as exc:
        return f"mkdocs-material did not install: {exc}"
    return ""


def mkdocs(site: Path, target: Path) -> dict:
    shutil.rmtree(target, ignore_errors=True)
    docs = target / "docs"
    docs.mkdir(parents=True)
    for path in sorted((site / "content").rglob("*.md")):
        (docs / path.name).write_text(_body(path.read_text(encoding="utf-8")), encoding="utf-8")
    (docs / "index.md").write_text("# Benchshire Practice Toolkit\n", encoding="utf-8")
    (target / "mkdocs.yml").write_text("site_name: Benchshire Practice Toolkit\ntheme:\n  name: material\n",
                                       encoding="utf-8")
    return measure([str(MKDOCS_VENV / "bin" / "mkdocs"), "build", "-q", "-d", "site"], target)


def run_size(count: int, with_mkdocs: bool, repeat: int = 1) -> dict:
    """Every step on a fresh site of `count` pages, `repeat` times in turn; each step keeps its
    fastest run (the others' wall times are in `all_wall_s`), as timeit does: other work on a
    shared machine only ever adds time."""
    site = WORK / f"site-{count}"
    results: dict[str, dict] = {}

    def step(name: str, outcome: dict) -> None:
        print(f"  {count:>5} pages  {name:<26} {outcome['wall_s']:>8.1f} s wall {outcome['cpu_s']:>8.1f} s cpu "
              f"{outcome['peak_mib']:>6} MiB  (load {outcome['load_before']}, exit {outcome['status']})", flush=True)
        walls = results.get(name, {}).get("all_wall_s", []) + [outcome["wall_s"]]
        if name not in results or outcome["wall_s"] < results[name]["wall_s"]:
            results[name] = outcome
        results[name]["all_wall_s"] = walls

    missed: list[str] = []   # what any rebuild failed to show, whichever run is kept
    for _ in range(repeat if count <= PLAIN_SERIAL_MAX else 1):
        shutil.rmtree(site, ignore_errors=True)
        write_site(site, count)
        for _ in range(1 if count <= PLAIN_SERIAL_MAX else repeat):   # checks are cheap: repeat at any size
            shutil.rmtree(site / "_build", ignore_errors=True)
            step("toolkit check (cold)", toolkit(site, "check"))
            step("toolkit check (cached)", toolkit(site, "check"))
        shutil.rmtree(site / "_build")
        step("toolkit build -j 1", toolkit(site, "build", "-j", "1"))
        shutil.rmtree(site / "_build")
        step("toolkit build -j auto", toolkit(site, "build", "-j", "auto"))
        search = {"fresh build": search_scale.first_search(site / "_build" / "html"),
                  "one index": search_scale.first_search(
                      search_scale.one_index_copy(site / "_build" / "html", WORK / f"one-index-{count}")),
                  "index": search_scale.index_times(site / "_build" / "cache" / "html", WORK / f"index-{count}")}
        page_id, statement = edit_one_page(site, count)
        step("toolkit rebuild, one edit", toolkit(site, "build", "-j", "auto"))
        missed += edit_shown(site, page_id, statement)
        search["after a rebuild"] = search_scale.first_search(site / "_build" / "html")
        print(f"  {count:>5} pages  first search {json.dumps(search)}", flush=True)
        results.setdefault("search", search)
        results["toolkit rebuild, one edit"]["missing"] = missed
        if count <= PLAIN_SERIAL_MAX:
            step("plain Sphinx -j 1", plain_sphinx(site, WORK / f"plain-{count}", "1"))
        step("plain Sphinx -j auto", plain_sphinx(site, WORK / f"plain-{count}", JOBS_AUTO))
        if with_mkdocs and count <= PLAIN_SERIAL_MAX:
            step("MkDocs Material", mkdocs(site, WORK / f"mkdocs-{count}"))
    return results


def targets(sizes: dict[int, dict]) -> list[tuple[str, str, bool | None]]:
    """The issue's targets: (target, measured, met); met is None when the size was not run."""
    def wall(count: int, name: str) -> float | None:
        return sizes.get(count, {}).get(name, {}).get("wall_s")

    def cpu(count: int, name: str) -> float | None:
        return sizes.get(count, {}).get(name, {}).get("cpu_s")

    found: list[tuple[str, str, bool | None]] = []
    build, plain, material = (wall(1000, "toolkit build -j auto"), wall(1000, "plain Sphinx -j auto"),
                              wall(1000, "MkDocs Material"))
    cpu_ratio = (f", CPU {cpu(1000, 'toolkit build -j auto') / cpu(1000, 'plain Sphinx -j auto'):.2f}x"
                 if build and plain else "")
    found.append(("full build of 1,000 pages at most 0.9x plain Sphinx + MyST (alabaster), same parallelism",
                  f"wall {build / plain:.2f}x{cpu_ratio}" if build and plain else "not run",
                  build / plain <= 0.9 if build and plain else None))
    found += search_targets(sizes)
    found.append(("full build of 1,000 pages faster than MkDocs Material",
                  f"{build:.0f} s vs {material:.0f} s wall, {cpu(1000, 'toolkit build -j auto'):.0f} s vs "
                  f"{cpu(1000, 'MkDocs Material'):.0f} s CPU" if build and material else "not run",
                  build < material if build and material else None))
    big = wall(5000, "toolkit build -j auto")
    found.append(("per-page cost at 5,000 pages within 1.2x that at 1,000",
                  f"{(big / 5000) / (build / 1000):.2f}x" if big and build else "not run",
                  (big / 5000) / (build / 1000) <= 1.2 if big and build else None))
    check = wall(5000, "toolkit check (cold)")
    found.append(("toolkit check of 5,000 pages under 10 s from cold", f"{check:.1f} s" if check else "not run",
                  check < 10 if check else None))
    rebuild = wall(1000, "toolkit rebuild, one edit")
    found.append(("one-page edit rebuilt in under 10% of a full build at 1,000 pages",
                  f"{rebuild / build:.0%}" if rebuild and build else "not run",
                  rebuild / build < 0.10 if rebuild and build else None))
    peak = max((sizes.get(5000, {}).get(n, {}).get("peak_mib", 0) for n in
                ("toolkit build -j 1", "toolkit build -j auto")), default=0)
    found.append(("peak memory at 5,000 pages under 2 GiB", f"{peak} MiB" if peak else "not run",
                  peak < 2048 if peak else None))
    return found


def search_targets(sizes: dict[int, dict]) -> list[tuple[str, str, bool | None]]:
    """A reader's first search after a fresh build against one index, and the indexer's time
    after one edit against the whole site's, at 1,000 and 5,000 pages."""
    found: list[tuple[str, str, bool | None]] = []
    for count in (1000, 5000):
        search = sizes.get(count, {}).get("search")
        target = f"first search at {count:,} pages (fresh build) at most 1.2x one index's bytes and requests"
        fresh, one = (search["fresh build"], search["one index"]) if search else (None, None)
        if not search:
            found.append((target, "not run", None))
        elif not (fresh["results_shown"] and one["results_shown"]):   # a broken index is not a baseline
            found.append((target, f"a search showed no results (fresh build {fresh['results_shown']}, one index "
                                  f"{one['results_shown']})", False))
        else:
            found.append((target, f"{fresh['bytes'] / one['bytes']:.2f}x bytes ({fresh['bytes'] / 1024:.0f} KB against "
                                  f"{one['bytes'] / 1024:.0f} KB), {fresh['requests'] / one['requests']:.2f}x requests "
                                  f"({fresh['requests']} against {one['requests']})",
                          fresh["bytes"] <= 1.2 * one["bytes"] and fresh["requests"] <= 1.2 * one["requests"]))
        index = search["index"] if search else None
        found.append((f"search index after one edit under 10% of indexing the whole site, {count:,} pages",
                      f"{index['after_one_edit_s'] / index['whole_s']:.0%} ({index['after_one_edit_s']:.2f} s "
                      f"against {index['whole_s']:.2f} s)" if index else "not run",
                      index["after_one_edit_s"] < 0.1 * index["whole_s"] if index else None))
    return found


def genogram_targets(families: list[dict]) -> list[tuple[str, str, bool | None]]:
    """Genogram layout of the generated families (bench/genogram_layout.py), judged on CPU time."""
    return [(f"genogram layout of {f['people']} people at most {f['goal_seconds']:g} s (CPU)",
             f"{f['cpu_seconds']:.3f} s CPU ({f['seconds']:.3f} s wall), {f['crossings']} crossings",
             f["met"] == "met") for f in families] or [
        ("genogram layout at most 0.2 s for 30 people, 1 s for 50", "not run", None)]


def all_targets(report: dict) -> list[tuple[str, str, bool | None]]:
    sizes = {int(k): v for k, v in report["sizes"].items()}
    return targets(sizes) + preview_targets(report.get("preview", {})) + genogram_targets(report.get("genogram", []))


def ratios(sizes: dict[int, dict]) -> list[tuple[int, str, float]]:
    """Toolkit over baseline, in wall time and in CPU time (which other load on the machine
    disturbs less)."""
    found = []
    pairs = (("toolkit build -j 1", "plain Sphinx -j 1"), ("toolkit build -j auto", "plain Sphinx -j auto"),
             ("toolkit build -j auto", "MkDocs Material"))
    for measure_name in ("wall_s", "cpu_s"):
        for count, steps in sizes.items():
            for ours, theirs in pairs:
                if ours in steps and theirs in steps and steps[theirs][measure_name]:
                    found.append((count, f"{ours} / {theirs} ({measure_name[:-2]})",
                                  steps[ours][measure_name] / steps[theirs][measure_name]))
    return found


def markdown(report: dict) -> str:
    sizes = {int(k): v for k, v in report["sizes"].items()}
    counts = sorted(sizes)
    names = list(dict.fromkeys(name for steps in sizes.values() for name in steps if name != "search"))
    lines = [f"# Build benchmark, {report['date']}", "", f"Machine: {report['machine']}. {report['note']}", "",
             "Each cell: wall time / CPU time (whole process tree) / peak memory (sum of PSS over the process "
             "tree).", "", "| step | " + " | ".join(f"{c:,} pages" for c in counts) + " |",
             "| --- |" + " --- |" * len(counts)]
    for name in names:
        cells = []
        for count in counts:
            r = sizes[count].get(name)
            cells.append(f"{r['wall_s']:.1f} s / {r['cpu_s']:.1f} s / {r['peak_mib']} MiB"
                         + ("" if r["status"] == 0 else f" (exit {r['status']})") if r else "—")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "| ratio | " + " | ".join(f"{c:,} pages" for c in counts) + " |",
              "| --- |" + " --- |" * len(counts)]
    for label in dict.fromkeys(label for _, label, _ in report["ratios"]):
        values = {count: value for count, name, value in report["ratios"] if name == label}
        lines.append(f"| {label} | " + " | ".join(f"{values[c]:.2f}" if c in values else "—" for c in counts) + " |")
    lines += ["", "| target | measured | met |", "| --- | --- | --- |"]
    lines += [f"| {t} | {m} | {'yes' if ok else 'no' if ok is False else '—'} |" for t, m, ok in report["targets"]]
    preview = {int(k): v for k, v in report.get("preview", {}).items()}
    if preview:
        lines += ["", "Preview latency (`toolkit serve`, from the file written to the changed HTML served), "
                  "median of the saves, in seconds (every save in results.json):", "",
                  "| save | " + " | ".join(f"{c:,} pages" for c in sorted(preview)) + " |",
                  "| --- |" + " --- |" * len(preview)]
        for kind in dict.fromkeys(k for kinds in preview.values() for k in kinds):
            lines.append(f"| {kind} | " + " | ".join(f"{preview[c][kind]['median_s']:.2f}" if kind in preview[c]
                                                     else "—" for c in sorted(preview)) + " |")
        lines += ["", "Where a save's time went (the preview's own seconds per step, median):", ""]
        lines += [f"- {c:,} pages, {kind}: " + ", ".join(f"{step} {seconds:.2f} s" for step, seconds in
                                                          preview[c][kind].get("steps_median_s", {}).items())
                  for c in sorted(preview) for kind in preview[c]]
    for count in counts:
        missing = sizes[count].get("toolkit rebuild, one edit", {}).get("missing")
        if missing:
            lines.append(f"\nAt {count} pages the rebuild did NOT show the edit: {'; '.join(missing)}.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200,1000,5000", help="comma-separated page counts")
    parser.add_argument("--quick", action="store_true", help="sizes 50 and 200 only")
    parser.add_argument("--no-mkdocs", action="store_true", help="leave out the MkDocs Material baseline")
    parser.add_argument("--no-preview", action="store_true", help="leave out the preview latency (toolkit serve)")
    parser.add_argument("--repeat", type=int, default=1, help="run every step this many times; keep the fastest")
    parser.add_argument("--merge", action="store_true",
                        help="keep the sizes in results.json that this run does not measure")
    parser.add_argument("--report", action="store_true", help="only write results.md again from results.json")
    args = parser.parse_args(argv)
    if args.report:
        report = json.loads((RESULTS / "results.json").read_text(encoding="utf-8"))
        sizes = {int(k): v for k, v in report["sizes"].items()}
        report["ratios"], report["targets"] = ratios(sizes), all_targets(report)
        (RESULTS / "results.md").write_text(markdown(report), encoding="utf-8")
        return 0
    counts = [50, 200] if args.quick else [int(s) for s in args.sizes.split(",")]
    note = "" if args.no_mkdocs else mkdocs_ready()
    report: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "sizes": {},
                    "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}",
                    "note": (note + " " if note else "") + "Other work on the machine at the same time shows as "
                    "the load average before each step (in results.json)."}
    if args.merge and (RESULTS / "results.json").is_file():
        earlier = json.loads((RESULTS / "results.json").read_text(encoding="utf-8"))
        report["sizes"] = {int(k): v for k, v in earlier["sizes"].items() if int(k) not in counts}
        report["note"] += f" Sizes not run on {report['date']} are from the run of {earlier['date']}."
    WORK.mkdir(parents=True, exist_ok=True)
    snapshot_code()
    report["genogram"] = [genogram_layout.measure(size, 3) for size in genogram_layout.GOALS]   # seconds, first
    for count in counts:
        report["sizes"][count] = run_size(count, with_mkdocs=not args.no_mkdocs and not note, repeat=args.repeat)
        if not args.no_preview:   # last: it adds a picture and edits pages of the site
            report.setdefault("preview", {})
            try:
                report["preview"][count] = measure_latency(
                    WORK / f"site-{count}", count, os.environ | {"TOOLKIT_TODAY": TODAY, "PYTHONPATH": str(CODE)})
            except RuntimeError as exc:   # the preview failed: the other figures still count
                print(f"  {count:>5} pages  preview latency NOT measured: {exc}", flush=True)
                report["preview"][count] = {}
            print(f"  {count:>5} pages  preview latency (median s): "
                  + ", ".join(f"{k} {v['median_s']}" for k, v in report["preview"][count].items()), flush=True)
        sizes = report["sizes"]
        report["ratios"], report["targets"] = ratios(sizes), all_targets(report)
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "results.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
        (RESULTS / "results.md").write_text(markdown(report), encoding="utf-8")
    for count, label, value in report["ratios"]:
        print(f"{count:>5} pages  {label}: {value:.2f}")
    for target, measured, met in report["targets"]:
        print(f"{'met' if met else 'NOT met' if met is False else 'not run':>8}  {target}: {measured}")
    print(f"wrote {RESULTS / 'results.md'} and results.json")
    failed = [n for steps in report["sizes"].values() for n, r in steps.items()
              if n != "search" and (r["status"] or r.get("missing"))]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
