"""The command line: parse options, call one library function, map errors to exit codes."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from nzc_report import __version__
from nzc_report.cli_checks import OneLineParser, check_args
from nzc_report.errors import NzcError, UsageError

log = logging.getLogger("nzc_report")


def _zones(text: str) -> list[str]:
    return [z.strip() for z in text.split(",") if z.strip()]


PARAMS_HELP = ("a folder laid out like params/: each file in it (zones/<zone_id>.yaml, framework.yaml, "
               "rules.yaml, ...) replaces the project's file of the same name (default: the workspace's params/)")


def make_parser() -> argparse.ArgumentParser:
    p = OneLineParser(prog="nzc-report", description=(
        "Assessment reports for near-zero carbon emission zones (近零碳排放区示范工程)."))
    p.add_argument("--version", action="version", version=f"nzc-report {__version__}")
    p.add_argument("--verbose", action="store_true", help="show debug logs and tracebacks")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="build zone reports and summaries")
    b.add_argument("--data", type=Path, default=None,
                   help="dataset directory or dataset.xlsx (default: the sample dataset)")
    b.add_argument("--year", type=int, default=None, help="assessment year (default: latest with emissions data)")
    b.add_argument("--out", type=Path, default=None, help="output folder (default: build/)")
    b.add_argument("--zones", type=_zones, default=None, help="comma-separated zone ids")
    b.add_argument("--province", default=None, help="only zones of this province")
    b.add_argument("--jobs", type=int, default=None, help="parallel workers (default: CPU cores)")
    b.add_argument("--lang", choices=["zh", "en"], default=None, help="report language (default: zh)")
    b.add_argument("--force", action="store_true", help="rebuild what is up to date")
    b.add_argument("--timeout", type=float, default=600, help="per-zone notebook timeout in seconds")
    b.add_argument("--pdf-variant", default=None, choices=["pdf/a-2b", "pdf/ua-1"],
                   help="PDF variant for archives (default: a tagged PDF)")
    b.add_argument("--max-file-mb", type=float, default=50, help="refuse input files larger than this")
    b.add_argument("--cold-kernels", action="store_true",
                   help="start every kernel from scratch instead of forking a warm template (slower)")
    b.add_argument("--notebook", type=Path, default=None,
                   help="run this zone notebook instead of notebooks/zone_assessment.ipynb")
    b.add_argument("--params", type=Path, default=None, help=PARAMS_HELP)
    b.add_argument("--compare-to", type=Path, default=None, metavar="OUT/YEAR",
                   help="read last year's results from this earlier build (e.g. build/2023) instead of "
                        "recomputing them from the dataset; figures that differ are listed as data revisions")
    b.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run on the Dask cluster of this scheduler (e.g. tcp://host:8786; default: "
                        "$DASK_SCHEDULER_ADDRESS, else a local cluster of --jobs workers)")

    v = sub.add_parser("validate", help="check a dataset and print every problem")
    v.add_argument("--data", type=Path, default=None)
    v.add_argument("--year", type=int, default=None)
    v.add_argument("--lang", choices=["zh", "en"], default=None, help="language of the messages (default: zh)")
    v.add_argument("--max-file-mb", type=float, default=50, help="refuse input files larger than this")
    v.add_argument("--params", type=Path, default=None, help=PARAMS_HELP)

    i = sub.add_parser("init", help="write a workspace: settings, data-entry workbook, per-zone params")
    i.add_argument("dir", type=Path, metavar="DIR", help="the folder to make a workspace of")
    i.add_argument("--sample", action="store_true", help="add the sample dataset and its per-zone params")
    i.add_argument("--force", action="store_true", help="write what is missing into a folder that has some of "
                   "the files already (files init did not write, or that were changed since, are kept)")

    t = sub.add_parser("template", help="write an Excel data-entry workbook")
    t.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
    t.add_argument("--force", action="store_true", help="replace the file if it exists")

    y = sub.add_parser("synth", help="generate a synthetic dataset (for benchmarks and load tests)")
    y.add_argument("--zones", type=int, required=True, help="number of zones")
    y.add_argument("--seed", type=int, default=0)
    y.add_argument("--out", type=Path, required=True, help="the folder to write the CSV files into")
    y.add_argument("--force", action="store_true", help="replace the CSV files if they exist")

    x = sub.add_parser("export", help="write a dataset into the data-entry workbook")
    x.add_argument("--data", type=Path, default=None)
    x.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
    x.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the messages")
    x.add_argument("--max-file-mb", type=float, default=50, help="refuse input files larger than this")
    x.add_argument("--force", action="store_true", help="replace the file if it exists")

    f = sub.add_parser("verify", help="recompute the hashes of a build's manifest")
    f.add_argument("--out", type=Path, default=Path("build"))
    return p


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (tests swap it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def _setup_logging(verbose: bool) -> None:
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger("nzc_report")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    root.propagate = False


CLOSING_KINDS = {"zone": "zones", "zone_report": "zone reports", "province": "province summaries",
                 "national": "national summary", "ranking": "ranking", "portal": "portal"}
WARNINGS_SHOWN = 5  # per PDF in the closing table; all of them are in manifest.json


def _closing_label(o) -> str:
    return f"{o.id} report" if o.kind == "zone_report" else o.id


def _closing_warnings(shown) -> list[str]:
    """WeasyPrint's warnings, under the PDF that had them (manifest.json keeps them all)."""
    lines = []
    for o in shown:
        if o.warnings:
            lines.append(f"{_closing_label(o)}: {len(o.warnings)} WeasyPrint warning(s)")
            lines += [f"  {w}" for w in o.warnings[:WARNINGS_SHOWN]]
            if len(o.warnings) > WARNINGS_SHOWN:
                lines.append(f"  … {len(o.warnings) - WARNINGS_SHOWN} more in manifest.json")
    return lines


def _closing_table(result) -> str:
    order = list(CLOSING_KINDS)
    shown = sorted((o for o in result.outcomes if o.status != "up_to_date"), key=lambda o: (order.index(o.kind), o.id))
    rows = [(_closing_label(o), o.status, f"{o.seconds:.1f}" if o.seconds else "", o.reason or "") for o in shown]
    lines = []
    if rows:
        w = max(len(r[0]) for r in rows)
        lines.append(f"{'what':<{w}}  {'status':<10} {'seconds':>7}  reason")
        lines += [f"{r[0]:<{w}}  {r[1]:<10} {r[2]:>7}  {r[3]}" for r in rows]
    lines += _closing_warnings(shown)
    summary = []
    for kind, label in CLOSING_KINDS.items():
        counts = [f"{result.count(kind, s)} {s.replace('_', ' ')}" for s in ("built", "up_to_date", "failed", "not_yet_approved")
                  if result.count(kind, s)]
        if counts:
            summary.append(f"{label}: {', '.join(counts)}")
    n_warnings = sum(len(o.warnings) for o in result.outcomes)
    if n_warnings:
        summary.append(f"{n_warnings} WeasyPrint warning(s)")
    lines += getattr(result, "problems", [])
    lines.append("; ".join(summary) + f" — {result.seconds:.1f} s, in {result.out_dir}")
    if not result.failed and not any(o.status == "built" for o in result.outcomes):
        lines.append("everything is up to date")
    return "\n".join(lines)


# --- workspace settings and --params (issue 14) -------------------------------------------
def _apply_workspace(args) -> dict:
    """Fills the options left out on the command line from the workspace of the current
    folder (if it is one), then the defaults; returns the zones' default params."""
    from nzc_report.workspace import find_workspace

    ws = find_workspace()
    for name, default in (("data", None), ("year", None), ("lang", "zh"), ("out", Path("build")),
                          ("pdf_variant", None), ("params", None)):
        if not hasattr(args, name) or getattr(args, name) is not None:
            continue
        setattr(args, name, (getattr(ws, name) if ws else None) or default)
    if args.params is not None and not Path(args.params).is_dir():
        raise UsageError(f"--params {args.params}: no such folder")
    return ws.zone_defaults if ws else {}


def cmd_init(args) -> int:
    from nzc_report.workspace import init_workspace

    result = init_workspace(args.dir, sample=args.sample, force=args.force)
    print(f"wrote a workspace into {args.dir}" + (" with the sample dataset" if args.sample else ""))
    for path in result.kept:
        print(f"kept {path}: it was there already and init did not write it (or it changed since)")
    print(f"next: cd {args.dir} && nzc-report build" if args.sample else
          f"next: fill {args.dir}/data/dataset.xlsx, then cd {args.dir} && nzc-report validate")
    return 0
# --- end of workspace settings and --params ------------------------------------------------


def cmd_build(args) -> int:
    from nzc_report.batch import BuildOptions, build
    from nzc_report.resources import SAMPLE_DATA_DIR, ZONE_NOTEBOOK
    from nzc_report.system import check_cjk_fonts

    zone_defaults = _apply_workspace(args)
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.compare_to is not None and not (Path(args.compare_to) / "zones").is_dir():
        raise UsageError(f"--compare-to {args.compare_to}: not the year folder of a build (no zones/ in it)")
    check_cjk_fonts()
    result = build(BuildOptions(data=args.data or SAMPLE_DATA_DIR, year=args.year, out=args.out,
                                zones=args.zones, province=args.province, jobs=args.jobs, lang=args.lang,
                                force=args.force, timeout=args.timeout, pdf_variant=args.pdf_variant,
                                max_file_bytes=int(args.max_file_mb * 1024 * 1024),
                                zone_notebook=args.notebook or ZONE_NOTEBOOK,
                                warm_kernels=not args.cold_kernels, scheduler=args.scheduler,
                                compare_to=args.compare_to,
                                params=args.params, zone_defaults=zone_defaults))
    print(_closing_table(result))
    return result.exit_code


def _load_checked(data: Path | None, lang: str, max_file_mb: float, params: Path | None = None):
    """The dataset, checked against the framework's indicators as a build checks it
    (after every shared params file: ConfigError with all their problems)."""
    from nzc_report.config import load_shared_params
    from nzc_report.dataset import load_dataset
    from nzc_report.resources import SAMPLE_DATA_DIR

    units = load_shared_params(params).units()
    return load_dataset(data or SAMPLE_DATA_DIR, max_file_bytes=int(max_file_mb * 1024 * 1024), lang=lang,
                        indicator_units=units)


def cmd_validate(args) -> int:
    from nzc_report.batch.plan import load_zone_params, placeholder_problems
    from nzc_report.dataset.catalogue import msg
    from nzc_report.errors import ConfigError

    zone_defaults = _apply_workspace(args)
    ds = _load_checked(args.data, args.lang, args.max_file_mb, args.params)
    zone_params = load_zone_params(ds.zone_ids, args.params, zone_defaults)  # ConfigError with every problem
    if placeholder := placeholder_problems(zone_params, ds.is_sample, args.params):
        raise ConfigError(placeholder)
    for w in ds.warnings:
        print(f"{msg('warning_prefix', args.lang)}{w}")
    print(f"dataset OK: {len(ds.zone_ids)} zones")
    return 0


def cmd_verify(args) -> int:
    from nzc_report.batch import verify

    problems, checked = verify(args.out)
    for p in problems:
        print(p)
    print(f"verify: {checked} files checked, " + ("all match" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


def cmd_template(args) -> int:
    from nzc_report.dataset.workbook import write_template
    from nzc_report.workspace import refuse_occupied

    refuse_occupied([args.out], args.force, f"--out {args.out}")
    write_template(args.out)
    print(f"wrote {args.out}")
    return 0


def cmd_export(args) -> int:
    from nzc_report.dataset.workbook import export_workbook
    from nzc_report.workspace import refuse_occupied

    refuse_occupied([args.out], args.force, f"--out {args.out}")
    export_workbook(_load_checked(args.data, args.lang or "zh", args.max_file_mb), args.out)
    print(f"wrote {args.out}")
    return 0


def cmd_synth(args) -> int:
    from nzc_report.synth import HEADERS, write_synthetic
    from nzc_report.workspace import refuse_occupied

    if args.zones < 1:
        raise UsageError("--zones must be at least 1")
    if Path(args.out).exists() and not Path(args.out).is_dir():
        raise UsageError(f"--out {args.out}: a file is there, not a folder")
    refuse_occupied([Path(args.out) / f"{name}.csv" for name in HEADERS], args.force, f"--out {args.out}: a CSV file")
    write_synthetic(args.out, args.zones, args.seed)
    print(f"wrote a synthetic dataset of {args.zones} zones (seed {args.seed}) into {args.out}")
    return 0


COMMANDS = {"build": cmd_build, "validate": cmd_validate, "verify": cmd_verify,
            "template": cmd_template, "export": cmd_export, "synth": cmd_synth, "init": cmd_init}


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    _setup_logging(args.verbose)
    try:
        check_args(args)  # every value, before anything is read or written
        return COMMANDS[args.command](args)
    except NzcError as exc:
        if args.verbose:
            log.exception("error")
        print(exc.format_message(), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted: stopped; what was finished is kept (nzc-report verify says what is not)", file=sys.stderr)
        return 130
