"""The command line: parse options, call one library function, map errors to exit codes."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from nzc_report import __version__
from nzc_report.errors import NzcError

log = logging.getLogger("nzc_report")


def _zones(text: str) -> list[str]:
    return [z.strip() for z in text.split(",") if z.strip()]


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="nzc-report", description=(
        "Assessment reports for near-zero carbon emission zones (近零碳排放区示范工程)."))
    p.add_argument("--version", action="version", version=f"nzc-report {__version__}")
    p.add_argument("--verbose", action="store_true", help="show debug logs and tracebacks")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="build zone reports and summaries")
    b.add_argument("--data", type=Path, default=None,
                   help="dataset directory or dataset.xlsx (default: the sample dataset)")
    b.add_argument("--year", type=int, default=None, help="assessment year (default: latest with emissions data)")
    b.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build/)")
    b.add_argument("--zones", type=_zones, default=None, help="comma-separated zone ids")
    b.add_argument("--province", default=None, help="only zones of this province")
    b.add_argument("--jobs", type=int, default=None, help="parallel workers (default: CPU cores)")
    b.add_argument("--lang", choices=["zh", "en"], default="zh")
    b.add_argument("--force", action="store_true", help="rebuild what is up to date")
    b.add_argument("--timeout", type=float, default=600, help="per-zone notebook timeout in seconds")
    b.add_argument("--pdf-variant", default=None, choices=["pdf/a-2b", "pdf/ua-1"],
                   help="PDF variant for archives (default: a tagged PDF)")
    b.add_argument("--max-file-mb", type=float, default=50, help="refuse input files larger than this")

    v = sub.add_parser("validate", help="check a dataset and print every problem")
    v.add_argument("--data", type=Path, default=None)
    v.add_argument("--year", type=int, default=None)
    v.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the messages")
    v.add_argument("--max-file-mb", type=float, default=50, help="refuse input files larger than this")

    t = sub.add_parser("template", help="write an Excel data-entry workbook")
    t.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")

    x = sub.add_parser("export", help="write a dataset into the data-entry workbook")
    x.add_argument("--data", type=Path, default=None)
    x.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")

    f = sub.add_parser("verify", help="recompute the hashes of a build's manifest")
    f.add_argument("--out", type=Path, default=Path("build"))
    return p


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger("nzc_report")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    root.propagate = False


def cmd_build(args) -> int:
    from nzc_report.batch import BuildOptions, build
    from nzc_report.resources import SAMPLE_DATA_DIR

    result = build(BuildOptions(data=args.data or SAMPLE_DATA_DIR, year=args.year, out=args.out,
                                zones=args.zones, province=args.province, lang=args.lang,
                                timeout=args.timeout, pdf_variant=args.pdf_variant,
                                max_file_bytes=int(args.max_file_mb * 1024 * 1024)))
    built = [z for z in result.zones if z.status == "built"]
    print(f"built {len(built)} of {len(result.zones)} zones into {result.out_dir}")
    for z in result.failed:
        print(f"FAILED {z.zone_id}: {z.reason}")
    return result.exit_code


def cmd_validate(args) -> int:
    from nzc_report.dataset import load_dataset
    from nzc_report.resources import SAMPLE_DATA_DIR

    ds = load_dataset(args.data or SAMPLE_DATA_DIR, max_file_bytes=int(args.max_file_mb * 1024 * 1024),
                      lang=args.lang)
    for w in ds.warnings:
        print(f"warning: {w}")
    print(f"dataset OK: {len(ds.zone_ids)} zones")
    return 0


def cmd_verify(args) -> int:
    import json

    from nzc_report.dataset import sha256_file

    manifests = sorted(Path(args.out).glob("*/manifest.json"))
    if not manifests:
        print(f"no manifest.json under {args.out}", file=sys.stderr)
        return 1
    bad = 0
    for m in manifests:
        data = json.loads(m.read_text(encoding="utf-8"))
        for o in data["outputs"]:
            p = m.parent / o["path"]
            if not p.is_file():
                print(f"MISSING {p}")
                bad += 1
            elif sha256_file(p) != o["sha256"]:
                print(f"CHANGED {p}")
                bad += 1
    print("verify: OK" if not bad else f"verify: {bad} problem(s)")
    return 1 if bad else 0


def cmd_template(args) -> int:
    from nzc_report.dataset.workbook import write_template

    write_template(args.out)
    print(f"wrote {args.out}")
    return 0


def cmd_export(args) -> int:
    from nzc_report.dataset import load_dataset
    from nzc_report.dataset.workbook import export_workbook
    from nzc_report.resources import SAMPLE_DATA_DIR

    export_workbook(load_dataset(args.data or SAMPLE_DATA_DIR), args.out)
    print(f"wrote {args.out}")
    return 0


COMMANDS = {"build": cmd_build, "validate": cmd_validate, "verify": cmd_verify,
            "template": cmd_template, "export": cmd_export}


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    _setup_logging(args.verbose)
    try:
        return COMMANDS[args.command](args)
    except NzcError as exc:
        if args.verbose:
            log.exception("error")
        print(exc.format_message(), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
