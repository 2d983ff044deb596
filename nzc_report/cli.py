"""The command line: parse options, call one library function, map errors to exit codes."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from nzc_report.batch.manifest import BuildStatus
from nzc_report import __version__
from nzc_report.cli_checks import OneLineParser, argparse_speaking, check_args, lang_of_argv, say
from nzc_report.errors import NzcError, UsageError
from nzc_report.yamlfile import message_lang, reset_message_lang, set_message_lang

log = logging.getLogger("nzc_report")


def _zones(text: str) -> list[str]:
    return [z.strip() for z in text.split(",") if z.strip()]


def _typed(kind: str, convert):
    """``convert`` under the name argparse says in "invalid <name> value" (整数, 数字, ...)."""
    def typed(text: str):
        return convert(text)
    typed.__name__ = say(f"type_{kind}")
    return typed


def _common() -> OneLineParser:
    """The options every command takes, before or after its name (`nzc-report validate --verbose`).
    Their defaults are the main parser's: a subcommand sets them only when they are given."""
    c = OneLineParser(add_help=False)
    c.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS, help=say("help_verbose"))
    c.add_argument("--lang", choices=["zh", "en"], default=argparse.SUPPRESS, help=say("help_lang"))
    return c


def make_parser() -> argparse.ArgumentParser:
    """The parser, its help in the current language (yamlfile.speaking; main sets it from --lang,
    else the workspace's, else zh)."""
    common = _common()
    p = OneLineParser(prog="nzc-report", description=say("help_description"))
    p.add_argument("--version", action="version", version=f"nzc-report {__version__}", help=say("help_version"))
    p.add_argument("--verbose", action="store_true", help=say("help_verbose"))
    p.add_argument("--lang", choices=["zh", "en"], default=None, help=say("help_lang"))
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=OneLineParser)

    def command(name: str) -> argparse.ArgumentParser:
        text = say(f"help_cmd_{name}")
        return sub.add_parser(name, help=text, description=text, parents=[common])

    data_help, year_help, mb_help = say("help_data"), say("help_year"), say("help_max_file_mb")
    integer, number = _typed("int", int), _typed("float", float)
    b = command("build")
    b.add_argument("--data", type=Path, default=None, help=data_help)
    b.add_argument("--year", type=integer, default=None, help=year_help)
    b.add_argument("--out", type=Path, default=None, help=say("help_out_build"))
    b.add_argument("--zones", type=_zones, default=None, metavar="ID[,ID...]", help=say("help_zones"))
    b.add_argument("--province", default=None, help=say("help_province"))
    b.add_argument("--jobs", type=integer, default=None, help=say("help_jobs"))
    b.add_argument("--force", action="store_true", help=say("help_force_build"))
    b.add_argument("--explain", "--dry-run", action="store_true", dest="explain", help=say("help_explain"))
    b.add_argument("--timeout", type=number, default=600, help=say("help_timeout"))
    b.add_argument("--pdf-variant", default=None, choices=["pdf/a-2b", "pdf/ua-1"], help=say("help_pdf_variant"))
    b.add_argument("--max-file-mb", type=number, default=50, help=mb_help)
    b.add_argument("--cold-kernels", action="store_true", help=say("help_cold_kernels"))
    b.add_argument("--notebook", type=Path, default=None, help=say("help_notebook"))
    b.add_argument("--params", type=Path, default=None, help=say("help_params"))
    b.add_argument("--framework", default=None, metavar="ID", help=say("help_framework"))
    b.add_argument("--compare-to", type=Path, default=None, metavar="OUT/YEAR", help=say("help_compare_to"))
    b.add_argument("--scheduler", default=None, metavar="ADDRESS", help=say("help_scheduler"))

    v = command("validate")
    v.add_argument("--data", type=Path, default=None, help=data_help)
    v.add_argument("--year", type=integer, default=None, help=year_help)
    v.add_argument("--max-file-mb", type=number, default=50, help=mb_help)
    v.add_argument("--params", type=Path, default=None, help=say("help_params"))
    v.add_argument("--framework", default=None, metavar="ID", help=say("help_framework"))

    f = command("frameworks")
    f.add_argument("--params", type=Path, default=None, help=say("help_params"))

    i = command("init")
    i.add_argument("dir", type=Path, metavar="DIR", help=say("help_init_dir"))
    i.add_argument("--sample", action="store_true", help=say("help_init_sample"))
    i.add_argument("--framework", default=None, metavar="ID", help=say("help_init_framework"))
    i.add_argument("--force", action="store_true", help=say("help_force_init"))

    t = command("template")
    t.add_argument("--out", type=Path, required=True, help=say("help_out_xlsx"))
    t.add_argument("--force", action="store_true", help=say("help_force_file"))

    y = command("synth")
    y.add_argument("--zones", type=integer, required=True, help=say("help_synth_zones"))
    y.add_argument("--seed", type=integer, default=0, help=say("help_seed"))
    y.add_argument("--out", type=Path, required=True, help=say("help_out_synth"))
    y.add_argument("--force", action="store_true", help=say("help_force_synth"))

    x = command("export")
    x.add_argument("--data", type=Path, default=None, help=data_help)
    x.add_argument("--out", type=Path, required=True, help=say("help_out_xlsx"))
    x.add_argument("--max-file-mb", type=number, default=50, help=mb_help)
    x.add_argument("--force", action="store_true", help=say("help_force_file"))

    f = command("verify")
    f.add_argument("--out", type=Path, default=Path("build"), help=say("help_out_verify"))
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


CLOSING_KINDS = ("zone", "zone_report", "province", "national", "ranking", "portal")
CLOSING_GROUPS = (BuildStatus.BUILT, BuildStatus.NOT_YET_APPROVED, BuildStatus.FAILED)  # by outcome, failures last
WARNINGS_SHOWN = 5  # per PDF in the closing table; all of them are in manifest.json
LONG_TABLE = 30  # more rows than this: counts and failures on the terminal, the full table in build.log


def _closing_label(o, lang: str) -> str:
    return say("row_report", lang, id=o.id) if o.kind == "zone_report" else o.id


def _closing_warnings(shown, lang: str) -> list[str]:
    """WeasyPrint's warnings, under the PDF that had them (manifest.json keeps them all)."""
    lines = []
    for o in shown:
        if o.warnings:
            lines.append(say("weasyprint_warnings", lang, what=_closing_label(o, lang), n=len(o.warnings)))
            lines += [f"  {w}" for w in o.warnings[:WARNINGS_SHOWN]]
            if len(o.warnings) > WARNINGS_SHOWN:
                lines.append(say("weasyprint_more", lang, n=len(o.warnings) - WARNINGS_SHOWN))
    return lines


def _reason(o, lang: str) -> str:
    """Why: a reason made as a code with fields (a worker's, the cache's, the cluster's) worded in
    this table's language; else the words the build gave."""
    fault = getattr(o, "fault", None)
    if fault is not None:
        return fault.said(lang)
    if o.status == BuildStatus.NOT_YET_APPROVED and not o.reason:
        return say("not_yet_approved_reason", lang)
    return o.reason or ""


def _paper(result, o) -> Path | None:
    """A failed zone's working paper (its executed notebook, written before the error is raised)."""
    if o.kind != "zone":
        return None
    path = Path(result.out_dir) / "zones" / o.id / "assessment.ipynb"
    return path if path.is_file() else None


def _table(result, rows, lang: str, colour: bool) -> list[str]:
    """Rows grouped by outcome (built, not yet approved, failed last), each failure with its working paper."""
    if not rows:
        return []
    order = {k: i for i, k in enumerate(CLOSING_KINDS)}
    rows = sorted(rows, key=lambda o: (CLOSING_GROUPS.index(o.status), order.get(o.kind, 99), o.id))
    cells = [(_closing_label(o, lang), say(f"status_{o.status}", lang), f"{o.seconds:.1f}" if o.seconds else "",
              _reason(o, lang), o) for o in rows]
    w = max(len(c[0]) for c in cells)
    ws = max(len(c[1]) for c in cells + [("", say("table_status", lang))])
    lines = [f"{say('table_what', lang):<{w}}  {say('table_status', lang):<{ws}} {say('table_seconds', lang):>7}  "
             + say("table_reason", lang)]
    for what, status, seconds, reason, o in cells:
        line = f"{what:<{w}}  {status:<{ws}} {seconds:>7}  {reason}".rstrip()
        if o.status == BuildStatus.FAILED and colour:
            line = f"\033[31m{line}\033[0m"
        lines.append(line)
        paper = _paper(result, o) if o.status == BuildStatus.FAILED else None
        if paper is not None:
            lines.append(say("working_paper", lang, path=paper))
    return lines


def _closing_table(result, lang: str = "zh", colour: bool = False) -> tuple[str, str]:
    """(what the terminal shows, the full table for build.log). Up-to-date items are counted,
    not listed; past LONG_TABLE rows the terminal gets the counts and the failures only."""
    shown = [o for o in result.outcomes if o.status in CLOSING_GROUPS]
    full = _table(result, shown, lang, False) + _closing_warnings(shown, lang)
    if len(shown) > LONG_TABLE:
        failed = [o for o in shown if o.status == BuildStatus.FAILED]
        log_path = Path(result.out_dir) / "build.log"
        lines = [say("long_table", lang, rows=len(shown), log=log_path)]
        if failed:
            lines.append(say("failures_head", lang, n=len(failed)))
            lines += _table(result, failed, lang, colour)
    else:
        lines = _table(result, shown, lang, colour) + _closing_warnings(shown, lang)
    summary = []
    for kind in CLOSING_KINDS:
        counts = [say("count", lang, n=result.count(kind, s), status=say(f"status_{s}", lang))
                  for s in BuildStatus if result.count(kind, s)]
        if counts:
            summary.append(f"{say(f'kind_{kind}', lang)}：{'，'.join(counts)}" if lang == "zh"
                           else f"{say(f'kind_{kind}', lang)}: {', '.join(counts)}")
    n_warnings = sum(len(o.warnings) for o in result.outcomes)
    if n_warnings:
        summary.append(say("weasyprint_total", lang, n=n_warnings))
    tail = list(getattr(result, "problems", []))
    tail.append(say("summary_line", lang, counts=("；" if lang == "zh" else "; ").join(summary),
                    seconds=f"{result.seconds:.1f}", out=result.out_dir))
    if not result.failed and not any(o.status == BuildStatus.BUILT for o in result.outcomes):
        tail.append(say("all_up_to_date", lang))
    index = Path(result.out_dir) / "index.html"
    if index.is_file():
        tail.append(say("portal_pointer", lang, path=index))
    return "\n".join(lines + tail), "\n".join(full + tail)


def _log_closing(result, text: str) -> None:
    """The full closing table appended to OUT/<year>/build.log (beside the tasks' and Dask's lines)."""
    import datetime

    year_dir = Path(result.out_dir)
    if not year_dir.is_dir():
        return
    stamp = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    try:
        with open(year_dir / "build.log", "a", encoding="utf-8") as f:
            f.write(f"--- {stamp}\n{text}\n")
    except OSError as exc:
        log.warning("%s: %s", year_dir / "build.log", exc)


# --- workspace settings and --params (issue 14) -------------------------------------------
def _apply_workspace(args) -> dict:
    """Fills the options left out on the command line from the workspace of the current
    folder (if it is one), then the defaults; returns the zones' default params."""
    from nzc_report.workspace import find_workspace

    ws = find_workspace()
    for name, default in (("data", None), ("year", None), ("lang", "zh"), ("out", Path("build")),
                          ("pdf_variant", None), ("params", None), ("framework", None)):
        if not hasattr(args, name) or getattr(args, name) is not None:
            continue
        setattr(args, name, (getattr(ws, name) if ws else None) or default)
    set_message_lang(args.lang)  # the rest is said in the workspace's language (--lang wins)
    if args.params is not None and not Path(args.params).is_dir():
        raise UsageError(say("no_such_folder", option="--params", value=args.params))
    return ws.zone_defaults if ws else {}


def cmd_init(args) -> int:
    from nzc_report.workspace import init_workspace

    lang = args.lang or "zh"
    if args.framework is not None:
        from nzc_report.cli_frameworks import check_framework_option

        check_framework_option(args.framework, None, lang)
    result = init_workspace(args.dir, sample=args.sample, force=args.force, framework=args.framework)
    print(say("init_wrote_sample" if args.sample else "init_wrote", lang, dir=args.dir))
    for path in result.kept:
        print(say("init_kept", lang, path=path))
    print(say("init_next_sample" if args.sample else "init_next", lang, dir=args.dir))
    return 0
# --- end of workspace settings and --params ------------------------------------------------


def _build_options(args, zone_defaults: dict):
    from nzc_report.batch import BuildOptions
    from nzc_report.resources import SAMPLE_DATA_DIR, ZONE_NOTEBOOK

    return BuildOptions(data=args.data or SAMPLE_DATA_DIR, year=args.year, out=args.out,
                        zones=args.zones, province=args.province, jobs=args.jobs, lang=args.lang,
                        force=args.force, timeout=args.timeout, pdf_variant=args.pdf_variant,
                        max_file_bytes=int(args.max_file_mb * 1024 * 1024),
                        zone_notebook=args.notebook or ZONE_NOTEBOOK,
                        warm_kernels=not args.cold_kernels, scheduler=args.scheduler,
                        compare_to=args.compare_to,
                        params=args.params, zone_defaults=zone_defaults, framework=args.framework)


def _explain(args, zone_defaults: dict) -> int:
    """build --explain: what would be built and why; nothing started, nothing written."""
    from nzc_report.batch import Build
    from nzc_report.batch.explain import explain
    from nzc_report.resources import use_params

    lang = args.lang
    with use_params(args.params):
        found = explain(_build_options(args, zone_defaults), Build)
    where = {"year": found.year, "out": found.out_dir}
    todo = found.to_build
    if not todo:
        print(say("explain_nothing", lang, **where))
    else:
        print(say("explain_head", lang, **where))
        w = max(len(i.id) for i in todo)
        for i in todo:
            kind = say(f"explain_kind_{i.kind}", lang)
            reasons = "、".join(say(f"explain_{r}", lang) for r in i.reasons) if lang == "zh" else \
                ", ".join(say(f"explain_{r}", lang) for r in i.reasons)
            print(f"  {kind} {i.id:<{w}}  {i.name + '  ' if i.name else ''}{reasons}")
    waiting = [i for i in found.items if i.reasons == ("not_yet_approved",)]
    for i in waiting:
        print(f"  {say('explain_kind_zone', lang)} {i.id}  {i.name}  {say('explain_not_yet_approved', lang)}")
    kept = [i for i in found.items if not i.reasons]
    print(say("explain_up_to_date", lang, zones=sum(i.kind == "zone" for i in kept),
              summaries=sum(i.kind != "zone" for i in kept)))
    if any(i.kind == "zone" for i in todo):
        print(say("explain_reports", lang))
    return 0


def cmd_build(args) -> int:
    from nzc_report.batch import build
    from nzc_report.system import check_cjk_fonts

    zone_defaults = _apply_workspace(args)
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(say("out_of_range", option="--jobs", value=args.jobs, low=1, high=256))
    if args.compare_to is not None and not (Path(args.compare_to) / "zones").is_dir():
        raise UsageError(say("not_build_year", option="--compare-to", value=args.compare_to))
    if args.explain:
        return _explain(args, zone_defaults)
    # a first line at once (the dataset's reading and the cluster's start take seconds)
    from nzc_report.batch.run import scheduler_address
    from nzc_report.resources import SAMPLE_DATA_DIR

    address = scheduler_address(args.scheduler)
    where = say("build_start_scheduler", args.lang, address=address) if address else ""
    print(say("build_start", args.lang, data=args.data or SAMPLE_DATA_DIR, out=args.out, where=where), flush=True)
    check_cjk_fonts()
    result = build(_build_options(args, zone_defaults))
    shown, full = _closing_table(result, args.lang, colour=sys.stdout.isatty())
    _log_closing(result, full)
    print(shown)
    return result.exit_code


def _load_checked(data: Path | None, lang: str, max_file_mb: float, params: Path | None = None):
    """The dataset, checked against the framework's indicators as a build checks it
    (after every shared params file: ConfigError with all their problems)."""
    from nzc_report.config import load_shared_params
    from nzc_report.dataset import load_dataset
    from nzc_report.resources import SAMPLE_DATA_DIR

    frameworks = load_shared_params(params)
    return load_dataset(data or SAMPLE_DATA_DIR, max_file_bytes=int(max_file_mb * 1024 * 1024), lang=lang,
                        indicator_units=frameworks.units(), programmes=frameworks.ids())


def cmd_validate(args) -> int:
    from nzc_report.batch.plan import load_zone_params, placeholder_problems
    from nzc_report.dataset.catalogue import msg
    from nzc_report.errors import ConfigError

    zone_defaults = _apply_workspace(args)
    if args.framework is not None:
        from nzc_report.cli_frameworks import check_framework_option

        check_framework_option(args.framework, args.params, args.lang)
    ds = _load_checked(args.data, args.lang, args.max_file_mb, args.params)
    zone_params = load_zone_params(ds.zone_ids, args.params, zone_defaults)  # ConfigError with every problem
    if placeholder := placeholder_problems(zone_params, ds.is_sample, args.params):
        raise ConfigError(placeholder)
    from nzc_report.batch.rectify import rectification_problems

    if bad := rectification_problems(ds, ds.zone_ids, zone_params, ds.assessment_year(args.year, args.lang),
                                     args.params, framework_id=getattr(args, "framework", None)):
        raise ConfigError(bad)
    for w in ds.warnings:
        print(f"{msg('warning_prefix', args.lang)}{w}")
    print(say("validate_ok", args.lang, n=len(ds.zone_ids)))
    return 0


def cmd_verify(args) -> int:
    from nzc_report.batch import verify

    problems, checked = verify(args.out)  # said in the current language (--lang, else the workspace's)
    for p in problems:
        print(p)
    lang = args.lang or message_lang()
    verdict = say("verify_all_match", lang) if not problems else say("verify_problems", lang, n=len(problems))
    print(say("verify_line", lang, checked=checked, verdict=verdict))
    return 1 if problems else 0


def cmd_template(args) -> int:
    from nzc_report.dataset.workbook import write_template
    from nzc_report.workspace import refuse_occupied

    refuse_occupied([args.out], args.force, f"--out {args.out}")
    from nzc_report.config import indicator_catalogue

    write_template(args.out, indicators=indicator_catalogue())
    print(say("wrote", args.lang or "zh", path=args.out))
    return 0


def cmd_export(args) -> int:
    from nzc_report.dataset.workbook import export_workbook
    from nzc_report.workspace import refuse_occupied

    refuse_occupied([args.out], args.force, f"--out {args.out}")
    export_workbook(_load_checked(args.data, args.lang or "zh", args.max_file_mb), args.out)
    print(say("wrote", args.lang or "zh", path=args.out))
    return 0


def cmd_synth(args) -> int:
    from nzc_report.synth import HEADERS, write_synthetic
    from nzc_report.workspace import refuse_occupied

    if args.zones < 1:
        raise UsageError(say("out_of_range", option="--zones", value=args.zones, low=1, high=100000))
    if Path(args.out).exists() and not Path(args.out).is_dir():
        raise UsageError(say("not_a_folder", option="--out", value=args.out))
    refuse_occupied([Path(args.out) / f"{name}.csv" for name in HEADERS], args.force, f"--out {args.out}: a CSV file")
    write_synthetic(args.out, args.zones, args.seed)
    print(say("synth_wrote", args.lang or "zh", zones=args.zones, seed=args.seed, out=args.out))
    return 0


def cmd_frameworks(args) -> int:
    from nzc_report.cli_frameworks import list_frameworks

    _apply_workspace(args)
    print(list_frameworks(args.params, args.lang or "zh"))
    return 0


COMMANDS = {"build": cmd_build, "validate": cmd_validate, "verify": cmd_verify,
            "template": cmd_template, "export": cmd_export, "synth": cmd_synth, "init": cmd_init,
            "frameworks": cmd_frameworks}


def _error_text(exc: NzcError, lang: str | None) -> str:
    """The error's lines; a refused configuration's count in Chinese for a zh command (a refused
    dataset's is already in the dataset's messages' language)."""
    from nzc_report.errors import ConfigError

    text = exc.format_message()
    if isinstance(exc, ConfigError) and lang == "zh":  # English: the error's own words
        text = "\n".join([*text.splitlines()[:-1], say("config_refused", lang, n=len(exc.problems))])
    return text


def _first_lang(argv: list[str]) -> str:
    """The language of --help and of usage errors, before the line is parsed: --lang as typed,
    else the workspace's (its settings read quietly: a broken file is said later), else zh."""
    typed = lang_of_argv(argv)
    if typed:
        return typed
    from nzc_report.workspace import SETTINGS_FILE

    try:
        from nzc_report.yamlfile import safe_load

        settings = safe_load((Path.cwd() / SETTINGS_FILE).read_text(encoding="utf-8"))
        lang = settings.get("lang") if isinstance(settings, dict) else None
    except Exception:  # no workspace, or a broken one: its check says why later
        lang = None
    return lang if lang in ("zh", "en") else "zh"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    token = set_message_lang(_first_lang(argv))  # Chinese first; the workspace's lang once it is read
    try:
        with argparse_speaking(message_lang()):
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
            print(_error_text(exc, args.lang or message_lang()), file=sys.stderr)
            return exc.exit_code
        except KeyboardInterrupt:
            print(say("interrupted", args.lang or message_lang()), file=sys.stderr)
            return 130
    finally:
        reset_message_lang(token)
