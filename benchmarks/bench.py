"""Measure how fast bulletin builds: stages, cold and warm builds, baseline, scaling, archive.

Run it with ``make bench`` (``.venv/bin/python benchmarks/bench.py [--quick]``).
It prints a table and writes every figure to ``out/bench.json``. Each figure
is the median of three runs (two full builds of the archive, which take
minutes; one of each with ``--quick``, which also measures fewer sizes and
a smaller archive). A cold build runs in a fresh process, timed from
outside (interpreter start-up and imports included). Everything is built in
a temporary copy of the project; the repository is only read.

Peak memory is read by each measured process itself, from ``VmHWM`` in
``/proc/self/status``, as it ends. ``resource.getrusage(RUSAGE_CHILDREN)``
(or ``os.wait4``) would be simpler, but Linux carries a forked process's
peak over its ``exec``: every child would report at least this script's
own size.

The machine is shared: the load average is printed with the results, and a
figure is only worth comparing with one measured under a similar load.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SAMPLE = "2021-05"
RESULT_MARK = "BENCH-RESULT "
# Generated issues: this many copies of the sample's blocks give about this
# many pages (the sample's 7 blocks fill 5 pages; the contents list grows too).
BLOCKS_FOR_PAGES = {8: 12, 16: 23, 32: 51, 64: 103}
ARCHIVE_BLOCKS = 3
STAGES = ("load", "photos", "html", "layout", "write")
# What the stages above hold of the composer: its own time (Plan.seconds),
# and its CPU time, in measuring layouts and in choosing.
COMPOSE = "compose"
COMPOSER_CPU = ("compose_cpu", "measuring_cpu", "choosing_cpu")

Json = dict[str, Any]


# ---- Running things ---------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One process run: its wall time, CPU time, the load it ran under and what it printed."""

    seconds: float
    result: Json
    cpu: float = 0.0
    """User and system time of the process and its children, in seconds."""
    load: float = 0.0
    """The one-minute load average as it started."""


def run_process(command: Sequence[str], *, env: Mapping[str, str] | None = None) -> Run:
    """Run ``command`` in a fresh process; return its wall and CPU time and result line."""
    load = load_average()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    result: Json = {}
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            result = json.loads(line[len(RESULT_MARK) :])
    return Run(seconds, result, cpu, load)


def peak_memory_mb() -> float:
    """Return this process's peak resident memory so far, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_child(task: str, **arguments: Any) -> Run:
    """Run one task of this script in a fresh process (see ``child``)."""
    payload = json.dumps({"task": task, **arguments})
    return run_process([sys.executable, str(Path(__file__).resolve()), "--child", payload])


def median(values: Sequence[float]) -> float:
    """Return the median of ``values``."""
    return statistics.median(values)


def load_average() -> float:
    """Return the one-minute load average."""
    return os.getloadavg()[0]


# ---- Projects to build ------------------------------------------------------


def copy_project(target: Path) -> Path:
    """Copy the repository's project (issues, layouts, fonts) to ``target``; return it."""
    for name in ("issues", "layouts", "fonts"):
        shutil.copytree(REPO / name, target / name)
    return target


def generated_project(target: Path, months: Mapping[str, int], *, languages: bool = False) -> Path:
    """Return a project whose issues repeat the sample's blocks, ``months[month]`` blocks each.

    Stories keep their text and photos and get distinct ids (``almaty-process-2``).
    """
    import yaml

    shutil.copytree(REPO / "layouts", target / "layouts")
    shutil.copytree(REPO / "fonts", target / "fonts")
    issues = target / "issues"
    issues.mkdir()
    for name in ("publication.yaml", "publication.ru.yaml"):
        text = (REPO / "issues" / name).read_text()
        if name == "publication.yaml":
            text = text.replace("page_budget: 8", "page_budget: 64")
        (issues / name).write_text(text)
    sample = yaml.safe_load((REPO / "issues" / SAMPLE / "issue.yaml").read_text())
    blocks = sample["stories"]
    for month, count in months.items():
        folder = issues / month
        shutil.copytree(REPO / "issues" / SAMPLE / "photos", folder / "photos")
        stories = []
        for index in range(count):
            block = dict(blocks[index % len(blocks)])
            copy = index // len(blocks)
            if copy:
                block["id"] = f"{block['id']}-{copy + 1}"
            stories.append(block)
        # Published, so that the archive site shows them.
        issue = {"month": month, "number": int(month[5:]), "published": True, "stories": stories}
        (folder / "issue.yaml").write_text(yaml.safe_dump(issue, allow_unicode=True))
        if languages:
            shutil.copy(REPO / "issues" / SAMPLE / "issue.ru.yaml", folder)
    return target


def camera_photos(folder: Path) -> list[Path]:
    """Replace the JPEGs in ``folder`` by 24-megapixel camera-like photos (noise, gradient)."""
    from PIL import Image, ImageChops

    width, height = 6000, 4000
    gradient = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width // 4, height // 4), 60).resize((width, height))
    grain = Image.effect_noise((1000, 1000), 25)
    fine = Image.new("L", (width, height))
    for x in range(0, width, 1000):
        for y in range(0, height, 1000):
            fine.paste(grain, (x, y))
    texture = ImageChops.add(Image.blend(noise, fine, 0.5), gradient, scale=2.0)
    photos = sorted(folder.glob("*.jpg"))
    for index, path in enumerate(photos):
        channels = [
            texture,
            ImageChops.offset(texture, 97 * index, 0),
            gradient.rotate(180),
        ]
        Image.merge("RGB", channels).save(path, "JPEG", quality=92)
    return photos


EDITS = ("word", "sentence", "headline")
"""A typo fixed (two letters of a word swapped), a sentence added to a paragraph, a headline
changed (which changes the contents list too)."""


def edit_story(issue_file: Path, number: int) -> str:
    """Edit one story's text (story ``number`` modulo the stories); return the kind of edit."""
    import yaml

    issue = yaml.safe_load(issue_file.read_text())
    stories = [block for block in issue["stories"] if "body" in block]
    story = stories[number % len(stories)]
    first, _, rest = story["body"].partition("\n\n")
    kind = EDITS[number % len(EDITS)]
    if kind == "headline":
        story["title"] = f"{story['title']} ({number})"
    elif kind == "word":
        words = first.split(" ")
        index = max(range(len(words)), key=lambda i: (len(words[i]) > 5, -abs(i - 7 * number)))
        word = words[index]
        words[index] = word[0] + word[2] + word[1] + word[3:]
        first = " ".join(words)
    else:
        first = f"{first} This sentence was added ({number})."
    story["body"] = f"{first}\n\n{rest}"
    issue_file.write_text(yaml.safe_dump(issue, allow_unicode=True))
    return kind


# ---- Tasks run in a fresh process -------------------------------------------


def child(payload: Json) -> Json:
    """Run one task in this process and return its figures."""
    tasks: dict[str, Callable[[Json], Json]] = {
        "stages": _stages_task,
        "warm": _warm_task,
        "bare": _bare_task,
        "build": _build_task,
        "archive": _archive_task,
    }
    return {**tasks[payload["task"]](payload), "peak_mb": peak_memory_mb()}


@contextlib.contextmanager
def _timed_stages(totals: dict[str, float], counts: dict[str, int] | None = None) -> Iterator[None]:
    """Add the time spent in each stage of the build to ``totals`` while active.

    ``compose`` is the composer's own time (``Plan.seconds``: its measuring
    layouts and its choices), which the ``html`` and ``layout`` stages hold
    too; ``compose_cpu`` its CPU time, of which ``measuring_cpu`` in its
    measuring layouts and ``choosing_cpu`` in its own Python. ``counts``
    gets the engine layouts made (``layouts``), those the composer made
    (``composer_layouts``, its final layout of the issue included) and the
    plans made (``plans``).
    """
    import weasyprint

    import bulletin.build
    import bulletin.compose.plan

    counts = counts if counts is not None else {}
    # Depth inside the composer, and inside its final layout of the issue.
    inside = [0, 0]

    def timed(stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                totals[stage] = totals.get(stage, 0.0) + time.perf_counter() - start

        return wrapper

    def cpu(name: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            totals[name] = totals.get(name, 0.0) + time.process_time() - start

    def counted(function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counts["layouts"] = counts.get("layouts", 0) + 1
            if inside[0]:
                counts["composer_layouts"] = counts.get("composer_layouts", 0) + 1
            if inside[0] and not inside[1]:
                return cpu("measuring_cpu", function, *args, **kwargs)
            return function(*args, **kwargs)

        return wrapper

    def composing(function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            inside[0] += 1
            try:
                result = cpu("plan_cpu", function, *args, **kwargs)
            finally:
                inside[0] -= 1
            for plan in result.values() if isinstance(result, dict) else [result]:
                totals["compose"] = totals.get("compose", 0.0) + plan.seconds
                counts["plans"] = counts.get("plans", 0) + 1
            return result

        return wrapper

    def final(function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            inside[1] += 1
            try:
                return cpu("final_cpu", function, *args, **kwargs)
            finally:
                inside[1] -= 1

        return wrapper

    patches: list[tuple[Any, str, Callable[[Callable[..., Any]], Callable[..., Any]]]] = [
        (bulletin.build, "load_issue", lambda f: timed("load", f)),
        (bulletin.build, "check_photos", lambda f: timed("load", f)),
        (bulletin.build, "prepare_photos", lambda f: timed("photos", f)),
        (bulletin.build, "render_html", lambda f: timed("html", f)),
        (bulletin.build, "plan_issue", composing),
        (bulletin.compose.plan, "render_numbered", final),
        (weasyprint.HTML, "render", lambda f: counted(timed("layout", f))),
        (weasyprint.Document, "write_pdf", lambda f: timed("write", f)),
    ]
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    for owner, name, wrap in patches:
        setattr(owner, name, wrap(getattr(owner, name)))
    try:
        yield
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)
        # The composer's CPU time: its plans less their final layouts, and of
        # that its measuring layouts and its own Python (choosing).
        plan_cpu = totals.pop("plan_cpu", 0.0)
        if plan_cpu:
            totals["compose_cpu"] = plan_cpu - totals.pop("final_cpu", 0.0)
            totals["measuring_cpu"] = totals.get("measuring_cpu", 0.0)
            totals["choosing_cpu"] = totals["compose_cpu"] - totals["measuring_cpu"]


def _stages_task(payload: Json) -> Json:
    """Build the issue once, timing each stage; also write the HTML for the bare baseline."""
    start = time.perf_counter()
    import weasyprint  # noqa: F401  (the import is timed apart from the build)

    import bulletin.build

    imported = time.perf_counter() - start
    root, out = Path(payload["root"]), Path(payload["out"])
    totals: dict[str, float] = {}
    counts: dict[str, int] = {}
    start = time.perf_counter()
    with _timed_stages(totals, counts):
        results = bulletin.build.build_issue(
            root,
            payload["month"],
            out,
            edition=payload.get("edition"),
            language=payload.get("language"),
        )
    total = time.perf_counter() - start
    figures: Json = {
        "import": imported,
        "total": total,
        "stages": totals,
        "counts": counts,
        "files": [
            {"edition": r.edition, "language": r.language, "bytes": r.size, "pages": r.page_count}
            for r in results
        ],
    }
    if payload.get("bare_html"):
        figures["bare"] = _write_bare_html(
            root, payload["month"], results, Path(payload["bare_html"])
        )
    return figures


def _write_bare_html(root: Path, month: str, results: Sequence[Any], target: Path) -> Json:
    """Write the fitted HTML of the email edition with its photos at placed size.

    Beside it, ``<target>-original.html``: the same with the original photos.
    """
    from bulletin.build import typeset_issue
    from bulletin.html.layout import layout_folder, render_html
    from bulletin.manifest.load import load_issue
    from bulletin.pdf.fonts import confine_fonts

    email = next(r for r in results if r.edition == "email" and r.language == "en")
    loaded = load_issue(root, month, language=email.language)
    plan = typeset_issue(loaded, write=False)
    images = {photo.source: photo.path.as_uri() for photo in email.photos}
    target.write_text(render_html(loaded, images=images, plan=plan.layout, pages=plan.pages))
    original = target.with_name(f"{target.stem}-original.html")
    original.write_text(render_html(loaded, plan=plan.layout, pages=plan.pages))
    confine_fonts(root / "fonts")
    return {
        "base_url": layout_folder(loaded).resolve().as_uri() + "/",
        "fontconfig": os.environ["FONTCONFIG_FILE"],
    }


def _warm_task(payload: Json) -> Json:
    """Build the email edition, then again after each of several one-story text edits.

    The builds are those of ``bulletin watch`` (its wait for the editor to
    finish writing aside), each timed with its stages.
    """
    from bulletin.watch import Watcher

    root, out, month = Path(payload["root"]), Path(payload["out"]), payload["month"]
    issue_file = root / "issues" / month / "issue.yaml"
    watcher = Watcher(root, month, out, edition="email", language="en")
    first = watcher.build()
    assert not first.problems, first.problems
    times, kinds, stages, counts = [], [], [], []
    for number in range(payload["edits"]):
        kinds.append(edit_story(issue_file, number))
        totals: dict[str, float] = {}
        counted: dict[str, int] = {}
        cpu = time.process_time()
        with _timed_stages(totals, counted):
            rebuild = watcher.handle([issue_file])
        totals["cpu"] = time.process_time() - cpu
        assert rebuild is not None and not rebuild.problems, rebuild
        times.append(rebuild.seconds)
        stages.append(totals)
        counts.append(counted)
    return {
        "first": first.seconds,
        "rebuilds": times,
        "kinds": kinds,
        "stages": stages,
        "counts": counts,
    }


def _bare_task(payload: Json) -> Json:
    """Typeset the HTML with WeasyPrint alone: no bulletin, its default fetcher and options.

    With ``balanced`` in the payload, bulletin's column balancing replaces the
    engine's (and nothing else of bulletin is used).
    """
    start = time.perf_counter()
    from weasyprint import HTML

    if payload.get("balanced"):
        from bulletin.engine.column import install

        install()

    imported = time.perf_counter() - start
    html = Path(payload["html"]).read_text()
    start = time.perf_counter()
    document = HTML(string=html, base_url=payload["base_url"]).render()
    laid_out = time.perf_counter() - start
    start = time.perf_counter()
    data = document.write_pdf(pdf_variant="pdf/ua-1")
    written = time.perf_counter() - start
    return {"import": imported, "layout": laid_out, "write": written, "bytes": len(data)}


def _build_task(payload: Json) -> Json:
    """Build the issue once; return its time in this process and its pages."""
    start = time.perf_counter()
    from bulletin.build import build_issue

    imported = time.perf_counter() - start
    totals: dict[str, float] = {}
    counts: dict[str, int] = {}
    start = time.perf_counter()
    cpu = time.process_time()
    with _timed_stages(totals, counts):
        results = build_issue(
            Path(payload["root"]),
            payload["month"],
            Path(payload["out"]),
            edition=payload.get("edition"),
            language=payload.get("language"),
        )
    return {
        "import": imported,
        "build": time.perf_counter() - start,
        "build_cpu": time.process_time() - cpu,
        "compose": totals.get(COMPOSE, 0.0),
        **{key: totals.get(key, 0.0) for key in COMPOSER_CPU},
        "layout": totals.get("layout", 0.0),
        "counts": counts,
        "pages": results[0].page_count,
    }


def _archive_task(payload: Json) -> Json:
    """Build the archive site; return its time in this process and what was built."""
    from bulletin.site.build import build_site

    start = time.perf_counter()
    result = build_site(Path(payload["root"]), Path(payload["out"]))
    return {
        "build": time.perf_counter() - start,
        "built": len(result.built),
        "unchanged": len(result.unchanged),
    }


# ---- The benchmarks ---------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """How much to measure."""

    runs: int
    edits: int
    sizes: tuple[int, ...]
    archive_issues: int


def bench_sample(work: Path, settings: Settings) -> Json:
    """Time the sample: stages, cold builds, warm rebuilds, the bare baseline, file sizes."""
    project = copy_project(work / "sample")
    bulletin_command = [str(Path(sys.executable).with_name("bulletin")), "build", SAMPLE]
    root_args = ["--root", str(project)]
    figures: Json = {"load": load_average()}

    stage_runs = []
    for number in range(settings.runs):
        out = work / f"stages-{number}"
        stage_runs.append(
            run_child(
                "stages",
                root=str(project),
                month=SAMPLE,
                out=str(out),
                bare_html=str(work / "bare.html") if number == 0 else "",
            )
        )
    stages = {
        stage: median([run.result["stages"].get(stage, 0.0) for run in stage_runs])
        for stage in STAGES
    }
    total = median([run.result["total"] for run in stage_runs])
    stages["other"] = max(0.0, total - sum(stages.values()))
    figures["stages"] = stages
    figures["stages_total"] = total
    figures["stages_compose"] = median(
        [run.result["stages"].get(COMPOSE, 0.0) for run in stage_runs]
    )
    figures["stages_counts"] = stage_runs[0].result["counts"]
    figures["files"] = stage_runs[0].result["files"]
    bare = stage_runs[0].result["bare"]

    cold_all = [
        run_process([*bulletin_command, *root_args, "--out", str(work / f"cold-{n}")])
        for n in range(settings.runs)
    ]
    _add_runs(figures, "cold_all", cold_all)
    single = ["--edition", "email", "--language", "en"]
    cold_email = [
        run_process([*bulletin_command, *root_args, "--out", str(work / f"email-{n}"), *single])
        for n in range(settings.runs)
    ]
    _add_runs(figures, "cold_email_first", cold_email)
    again = [
        run_process([*bulletin_command, *root_args, "--out", str(work / "email-0"), *single])
        for _ in range(settings.runs)
    ]
    _add_runs(figures, "cold_email_again", again)
    # The same builds in a process that times the composer: empty out/, then kept.
    for name, folder in (("first", "composed-{n}"), ("again", "email-0")):
        composed = [
            run_child(
                "build",
                root=str(project),
                month=SAMPLE,
                out=str(work / folder.format(n=n)),
                edition="email",
                language="en",
            )
            for n in range(settings.runs)
        ]
        for key in ("build", "build_cpu", "compose", "layout", *COMPOSER_CPU):
            figures[f"email_{name}_{key}"] = median([run.result[key] for run in composed])
        figures[f"email_{name}_counts"] = composed[0].result["counts"]

    environment = {**os.environ, "FONTCONFIG_FILE": bare["fontconfig"]}
    bare_command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        json.dumps({"task": "bare", "html": str(work / "bare.html"), "base_url": bare["base_url"]}),
    ]
    bare_runs = [run_process(bare_command, env=environment) for _ in range(settings.runs)]
    figures["bare_process"] = median([run.seconds for run in bare_runs])
    figures["bare_layout"] = median([run.result["layout"] for run in bare_runs])
    figures["bare_write"] = median([run.result["write"] for run in bare_runs])
    figures["bare_ratio_first"] = figures["cold_email_first"] / figures["bare_process"]
    figures["bare_ratio_again"] = figures["cold_email_again"] / figures["bare_process"]
    # The same HTML with the original photos, as the engine would embed them.
    original_command = [
        *bare_command[:-1],
        json.dumps({**json.loads(bare_command[-1]), "html": str(work / "bare-original.html")}),
    ]
    original_runs = [run_process(original_command, env=environment) for _ in range(settings.runs)]
    figures["bare_original_process"] = median([run.seconds for run in original_runs])
    figures["bare_original_bytes"] = original_runs[0].result["bytes"]
    figures["original_ratio_first"] = figures["cold_email_first"] / figures["bare_original_process"]
    figures["original_ratio_again"] = figures["cold_email_again"] / figures["bare_original_process"]
    # The same with the engine's column balancing replaced by bulletin's
    # (bulletin.engine.balance): what the rest of the pipeline adds.
    balanced_command = [
        *bare_command[:-1],
        json.dumps({**json.loads(bare_command[-1]), "balanced": True}),
    ]
    balanced_runs = [run_process(balanced_command, env=environment) for _ in range(settings.runs)]
    figures["bare_balanced_process"] = median([run.seconds for run in balanced_runs])
    figures["bare_balanced_layout"] = median([run.result["layout"] for run in balanced_runs])
    figures["balanced_ratio_first"] = figures["cold_email_first"] / figures["bare_balanced_process"]
    figures["balanced_ratio_again"] = figures["cold_email_again"] / figures["bare_balanced_process"]

    warm_project = copy_project(work / "warm")
    warm = run_child(
        "warm",
        root=str(warm_project),
        month=SAMPLE,
        out=str(work / "warm-out"),
        edits=settings.edits,
    )
    figures["warm_first"] = warm.result["first"]
    figures["warm_rebuilds"] = warm.result["rebuilds"]
    figures["warm_rebuild"] = median(warm.result["rebuilds"])
    for kind in sorted(set(warm.result["kinds"])):
        figures[f"warm_rebuild_{kind}"] = median(
            [
                seconds
                for seconds, edit in zip(warm.result["rebuilds"], warm.result["kinds"], strict=True)
                if edit == kind
            ]
        )
    figures["warm_stages"] = {
        stage: median([totals.get(stage, 0.0) for totals in warm.result["stages"]])
        for stage in (*STAGES, COMPOSE, *COMPOSER_CPU, "cpu")
    }
    figures["warm_counts"] = warm.result["counts"][0] if warm.result["counts"] else {}
    figures["warm_load"] = warm.load
    figures["load_after"] = load_average()
    return figures


def _add_runs(figures: Json, name: str, runs: Sequence[Run]) -> None:
    """Put the median wall time of ``runs`` under ``name``, their CPU time and load beside it."""
    figures[name] = median([run.seconds for run in runs])
    figures[f"{name}_cpu"] = median([run.cpu for run in runs])
    figures[f"{name}_load"] = median([run.load for run in runs])


def bench_camera(work: Path, settings: Settings) -> Json:
    """Time the sample with 24-megapixel camera photos, all editions, and give the file sizes."""
    project = copy_project(work / "camera")
    camera_photos(project / "issues" / SAMPLE / "photos")

    def build(out: Path) -> Run:
        return run_child("build", root=str(project), month=SAMPLE, out=str(out), language="en")

    first = [build(work / f"camera-{n}") for n in range(settings.runs)]
    again = [build(work / "camera-0") for _ in range(settings.runs)]
    sizes = {
        path.name: path.stat().st_size
        for path in sorted((work / "camera-0" / SAMPLE).glob("*.pdf"))
    }
    return {
        "first": median([run.seconds for run in first]),
        "again": median([run.seconds for run in again]),
        "peak_mb": max(run.result["peak_mb"] for run in first),
        "files": sizes,
    }


def bench_scaling(work: Path, settings: Settings) -> Json:
    """Time the email edition of generated issues of 8 to 64 pages: per page, and memory."""
    months = {
        f"2030-{index + 1:02d}": BLOCKS_FOR_PAGES[pages]
        for index, pages in enumerate(settings.sizes)
    }
    project = generated_project(work / "scaling", months)
    rows = []
    for (month, blocks), pages in zip(months.items(), settings.sizes, strict=True):
        runs = [
            run_child(
                "build",
                root=str(project),
                month=month,
                out=str(work / f"scaling-{month}-{n}"),
                edition="email",
                language="en",
            )
            for n in range(settings.runs)
        ]
        build = median([run.result["build"] for run in runs])
        made = runs[0].result["pages"]
        rows.append(
            {
                "target_pages": pages,
                "blocks": blocks,
                "pages": made,
                "build": build,
                "per_page": build / made,
                "build_cpu": median([run.result["build_cpu"] for run in runs]),
                "compose": median([run.result["compose"] for run in runs]),
                **{key: median([run.result[key] for run in runs]) for key in COMPOSER_CPU},
                "layout": median([run.result["layout"] for run in runs]),
                "counts": runs[0].result["counts"],
                "load": median([run.load for run in runs]),
                "process": median([run.seconds for run in runs]),
                "peak_mb": max(run.result["peak_mb"] for run in runs),
            }
        )
    return {"sizes": rows}


def bench_archive(work: Path, settings: Settings) -> Json:
    """Build an archive of generated issues, then rebuild it with nothing to do."""
    months = {
        f"{2017 + index // 12}-{index % 12 + 1:02d}": ARCHIVE_BLOCKS
        for index in range(settings.archive_issues)
    }
    project = generated_project(work / "archive", months)
    command = [str(Path(sys.executable).with_name("bulletin")), "archive", "--root", str(project)]
    # Two full builds at most: each takes minutes.
    full = [
        run_process([*command, "--out", str(work / f"archive-{n}")])
        for n in range(min(2, settings.runs))
    ]
    noop_runs = max(3, settings.runs)
    noop = [run_process([*command, "--out", str(work / "archive-0")]) for _ in range(noop_runs)]
    start_up = [run_process([sys.executable, "-c", "pass"]) for _ in range(noop_runs)]
    in_process = [
        run_child("archive", root=str(project), out=str(work / "archive-0"))
        for _ in range(noop_runs)
    ]
    search = _search_index_figures(work / "archive-0" / "site")
    return {
        "issues": settings.archive_issues,
        "editions": "email, print and archive, in English",
        **search,
        "cores": len(os.sched_getaffinity(0)),
        "full": median([run.seconds for run in full]),
        "full_per_issue": median([run.seconds for run in full]) / settings.archive_issues,
        "noop": median([run.seconds for run in noop]),
        "start_up": median([run.seconds for run in start_up]),
        "noop_beyond_start_up": median([run.seconds for run in noop])
        - median([run.seconds for run in start_up]),
        "noop_in_process": median([run.result["build"] for run in in_process]),
    }


def _search_index_figures(site: Path) -> Json:
    """Return the size of the site's search index and the time Pagefind takes to make it again."""
    import pagefind_bin

    bundle = site / "pagefind"
    files = [path for path in bundle.rglob("*") if path.is_file()]
    times = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as folder:
            command = [
                str(pagefind_bin.get_executable()),
                "--site",
                str(site),
                "--glob",
                "[0-9][0-9][0-9][0-9]/[0-9][0-9]/index*.html",
                "--output-path",
                folder,
                "--keep-index-url",
                "--silent",
            ]
            times.append(run_process(command).seconds)
    return {
        "search_index_seconds": median(times),
        "search_index_bytes": sum(path.stat().st_size for path in files),
        "search_index_files": len(files),
        "search_chunk_bytes": sum(
            path.stat().st_size for path in files if path.parent.name in {"index", "fragment"}
        ),
    }


def machine() -> Json:
    """Describe the machine: processor, cores, memory, versions."""
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    import weasyprint

    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "processor": model or platform.processor(),
        "cores": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "weasyprint": weasyprint.__version__,
        "commit": commit,
        "load_before": load_average(),
    }


# ---- Report -----------------------------------------------------------------


def report(figures: Json) -> str:
    """Return the figures as a table for the terminal."""
    lines: list[str] = []
    add = lines.append
    host = figures["machine"]
    add(
        f"bulletin bench, commit {host['commit']}: {host['processor']}, {host['cores']} cores, "
        f"Python {host['python']}, WeasyPrint {host['weasyprint']}"
    )
    add(
        f"load average: {host['load_before']:.2f} before, {figures['load_after']:.2f} after "
        f"(median of {figures['settings']['runs']} runs each)"
    )
    sample = figures.get("sample")
    if sample:
        add("")
        add(f"Sample issue {SAMPLE}: stages of a full build (every edition and language), s")
        for stage, seconds in sample["stages"].items():
            add(f"  {stage:<28}{seconds:8.2f}")
        add(f"  {'total':<28}{sample['stages_total']:8.2f}")
        add(
            f"  {'of html and layout, compose':<28}{sample['stages_compose']:8.2f}"
            f"  ({_counted(sample['stages_counts'])})"
        )
        add("Builds, in seconds: wall time, CPU time (user + system), load average at the start")
        for name, key in (
            ("cold, every edition and language", "cold_all"),
            ("cold, email edition (en), empty out/", "cold_email_first"),
            ("cold, email edition (en), again", "cold_email_again"),
        ):
            add(
                f"  {name:<40}{sample[key]:8.2f}  CPU {sample[key + '_cpu']:6.2f}  "
                f"load {sample[key + '_load']:5.2f}"
            )
        for name, key in (("empty out/", "first"), ("again", "again")):
            add(
                f"    in the process, {name}: build {sample[f'email_{key}_build']:.2f} s "
                f"(CPU {sample[f'email_{key}_build_cpu']:.2f}), of which layout "
                f"{sample[f'email_{key}_layout']:.2f}, compose {sample[f'email_{key}_compose']:.2f}"
                f" ({_counted(sample[f'email_{key}_counts'])})"
            )
            add(f"      composer, CPU: {_composer_cpu(sample, f'email_{key}_')}")
        rows = [
            ("warm rebuild after a text edit", sample["warm_rebuild"]),
            *(
                (f"  {name}", sample[f"warm_rebuild_{kind}"])
                for kind, name in (
                    ("word", "a typo fixed"),
                    ("sentence", "a sentence added"),
                    ("headline", "a headline changed"),
                )
                if f"warm_rebuild_{kind}" in sample
            ),
            ("bare WeasyPrint, same HTML (process)", sample["bare_process"]),
            ("  of which layout", sample["bare_layout"]),
            ("  of which PDF writing", sample["bare_write"]),
            ("bare WeasyPrint, original photos", sample["bare_original_process"]),
            ("bare WeasyPrint with bulletin's balancing", sample["bare_balanced_process"]),
            ("  of which layout", sample["bare_balanced_layout"]),
        ]
        for name, seconds in rows:
            add(f"  {name:<40}{seconds:8.2f}")
        add(
            "  warm rebuild, by stage: "
            + ", ".join(
                f"{stage} {seconds:.2f}" for stage, seconds in sample["warm_stages"].items()
            )
            + f" ({_counted(sample['warm_counts'])}; load {sample['warm_load']:.2f})"
        )
        add(
            "  cold email build / bare WeasyPrint (photos at placed size): "
            f"{sample['bare_ratio_first']:.2f} (empty out/), "
            f"{sample['bare_ratio_again']:.2f} (again)"
        )
        add(
            "  cold email build / bare WeasyPrint with the original photos: "
            f"{sample['original_ratio_first']:.2f} (empty out/), "
            f"{sample['original_ratio_again']:.2f} (again); its PDF: "
            f"{sample['bare_original_bytes'] / 1e6:.2f} MB"
        )
        add(
            "  cold email build / bare WeasyPrint with bulletin's balancing: "
            f"{sample['balanced_ratio_first']:.2f} (empty out/), "
            f"{sample['balanced_ratio_again']:.2f} (again)"
        )
        add("File sizes (MB)")
        for entry in sample["files"]:
            add(
                f"  {entry['edition']:<8} {entry['language']:<3} {entry['bytes'] / 1e6:6.2f}  "
                f"({entry['pages']} pages)"
            )
    camera = figures.get("camera")
    if camera:
        add("")
        add("Sample with 24-megapixel camera photos, every edition in English")
        add(
            f"  first build (no prepared photos): {camera['first']:.2f} s, "
            f"again {camera['again']:.2f} s, peak memory {camera['peak_mb']:.0f} MB"
        )
        for name, size in camera["files"].items():
            add(f"  {name:<48}{size / 1e6:6.2f} MB")
    scaling = figures.get("scaling")
    if scaling:
        add("")
        add("Scaling: generated issues, email edition in English (build time in the process)")
        header = (
            "pages",
            "blocks",
            "build s",
            "s/page",
            "CPU s",
            "compose s",
            "layout s",
            "layouts",
            "load",
            "process s",
            "peak MB",
        )
        add("  " + " ".join(f"{name:>9}" for name in header))
        for row in scaling["sizes"]:
            add(
                f"  {row['pages']:>9} {row['blocks']:>9} {row['build']:>9.2f} "
                f"{row['per_page']:>9.3f} {row['build_cpu']:>9.2f} {row['compose']:>9.2f} "
                f"{row['layout']:>9.2f} {row['counts'].get('layouts', 0):>9} "
                f"{row['load']:>9.2f} {row['process']:>9.2f} {row['peak_mb']:>9.0f}"
            )
        for row in scaling["sizes"]:
            add(f"  {row['pages']} pages, composer CPU: {_composer_cpu(row)}")
        first, last = scaling["sizes"][0], scaling["sizes"][-1]
        add(
            f"  time per page, {last['pages']} pages / {first['pages']} pages: "
            f"{last['per_page'] / first['per_page']:.2f} (wall), "
            f"{(last['build_cpu'] / last['pages']) / (first['build_cpu'] / first['pages']):.2f}"
            " (CPU)"
        )
    archive = figures.get("archive")
    if archive:
        add("")
        add(
            f"Archive: {archive['issues']} generated issues ({archive['editions']}), "
            f"{archive['cores']} cores"
        )
        add(f"  full build {archive['full']:.1f} s ({archive['full_per_issue']:.2f} s an issue)")
        add(
            f"  no-op rebuild {archive['noop']:.2f} s (interpreter start-up "
            f"{archive['start_up']:.2f} s; {archive['noop_beyond_start_up']:.2f} s beyond it; "
            f"{archive['noop_in_process']:.2f} s in the process)"
        )
        add(
            f"  search index: {archive['search_index_seconds']:.2f} s to build, "
            f"{archive['search_index_bytes'] / 1e6:.2f} MB in {archive['search_index_files']} "
            f"files ({archive['search_chunk_bytes'] / 1e6:.2f} MB of index chunks and fragments)"
        )
    return "\n".join(lines)


def _composer_cpu(figures: Mapping[str, Any], prefix: str = "") -> str:
    """Return the composer's CPU time, in measuring layouts and in choosing, as words."""
    return (
        f"{figures[prefix + 'compose_cpu']:.2f} s, of which measuring layouts "
        f"{figures[prefix + 'measuring_cpu']:.2f} s and choosing "
        f"{figures[prefix + 'choosing_cpu']:.2f} s"
    )


def _counted(counts: Mapping[str, int]) -> str:
    """Return the engine layouts and plans a build made, as words."""
    return (
        f"{counts.get('layouts', 0)} engine layouts, {counts.get('composer_layouts', 0)} "
        f"of them the composer's, {counts.get('plans', 0)} plans"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks, print the table and write ``out/bench.json``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and sizes")
    parser.add_argument(
        "--only",
        choices=("sample", "camera", "scaling", "archive"),
        action="append",
        help="run only these parts (repeatable)",
    )
    parser.add_argument("--out", type=Path, default=REPO / "out" / "bench.json")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.child:
        print(RESULT_MARK + json.dumps(child(json.loads(arguments.child))))
        return 0
    settings = (
        Settings(runs=1, edits=2, sizes=(8, 16), archive_issues=10)
        if arguments.quick
        else Settings(runs=3, edits=6, sizes=(8, 16, 32, 64), archive_issues=50)
    )
    parts: dict[str, Callable[[Path, Settings], Json]] = {
        "sample": bench_sample,
        "camera": bench_camera,
        "scaling": bench_scaling,
        "archive": bench_archive,
    }
    figures: Json = {"machine": machine(), "settings": settings.__dict__}
    with tempfile.TemporaryDirectory(prefix="bulletin-bench-") as folder:
        for name, part in parts.items():
            if arguments.only and name not in arguments.only:
                continue
            start = time.perf_counter()
            print(f"measuring {name}…", file=sys.stderr, flush=True)
            work = Path(folder) / name
            work.mkdir()
            figures[name] = part(work, settings)
            print(f"  {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    figures["load_after"] = load_average()
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(figures, indent=1))
    print(report(figures))
    print(f"\nwritten to {arguments.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
