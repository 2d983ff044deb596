"""init, template, export and synth never write over what the user made (issue 27, item 4).

The CLI's main() in this process (as click's CliRunner tests a CLI), into occupied targets; the
user's bytes survive. One refusal runs as a real process (build.py, as a user runs it): its exit
code and a stderr without a traceback are the process's own."""
from pathlib import Path

from clirun import in_process as cli
from clirun import process
from nzc_report.resources import PARAMS_DIR
from nzc_report.workspace import EXAMPLE_PARAMS, SETTINGS_FILE, WORKBOOK

TINY = Path(__file__).parent / "data" / "tiny"


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_init_into_a_folder_with_the_users_work_refuses_and_keeps_every_byte(tmp_path):
    ws = tmp_path / "ws"
    (ws / "data").mkdir(parents=True)
    (ws / WORKBOOK).write_bytes(b"PK\x03\x04 the evaluator's filled workbook")
    zone = next(iter(sorted((PARAMS_DIR / "zones").glob("*.yaml"))))
    (ws / "params" / "zones").mkdir(parents=True)
    (ws / "params" / "zones" / zone.name).write_text("zone_id: x\nexpert_opinion: 专家组的意见。\n", encoding="utf-8")
    (ws / "data" / "sample").mkdir()
    (ws / "data" / "sample" / "zones.csv").write_text("the user's own\n", encoding="utf-8")
    before = snapshot(ws)

    for run, args in ((process, ["init", ws]), (cli, ["init", ws, "--sample"])):
        proc = run(*args, cwd=tmp_path)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert "Traceback" not in proc.stderr
        assert str(ws / WORKBOOK) in proc.stderr and "字节" in proc.stderr and "--force" in proc.stderr
        assert snapshot(ws) == before  # nothing written, nothing lost
    assert str(ws / "params" / "zones" / zone.name) in proc.stderr  # --sample names the params it would replace
    assert str(ws / "data" / "sample" / "zones.csv") in proc.stderr

    # --force writes what is missing and keeps every file the user made
    proc = cli("init", ws, "--sample", "--force", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    after = snapshot(ws)
    assert {k: after[k] for k in before} == before
    assert SETTINGS_FILE in after and EXAMPLE_PARAMS in after and "data/sample/meta.csv" in after
    assert f"保留 {ws / WORKBOOK}：" in proc.stdout  # Chinese: no --lang, no workspace yet


def test_init_force_replaces_only_its_own_unchanged_files(tmp_path):
    ws = tmp_path / "ws"
    assert cli("init", ws, cwd=tmp_path).returncode == 0
    proc = cli("init", ws, cwd=tmp_path)
    assert proc.returncode == 2 and "已是工作区" in proc.stderr
    (ws / WORKBOOK).write_bytes(b"filled in since")
    (ws / EXAMPLE_PARAMS).unlink()
    settings = (ws / SETTINGS_FILE).read_bytes()
    proc = cli("init", ws, "--force", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (ws / WORKBOOK).read_bytes() == b"filled in since"  # changed by the user: kept
    assert (ws / EXAMPLE_PARAMS).is_file()  # missing: written again
    assert (ws / SETTINGS_FILE).read_bytes() == settings


def test_template_export_and_synth_refuse_an_existing_target(tmp_path):
    mine = b"the user's own bytes"
    book = tmp_path / "book.xlsx"
    book.write_bytes(mine)
    for args in (["template", "--out", book], ["export", "--data", TINY, "--out", book]):
        proc = cli(*args, cwd=tmp_path)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert f"{book}（文件，{len(mine)} 字节" in proc.stderr and "--force" in proc.stderr
        assert "Traceback" not in proc.stderr
        assert book.read_bytes() == mine
    proc = cli("template", "--out", book, "--force", cwd=tmp_path)
    assert proc.returncode == 0 and book.read_bytes()[:2] == b"PK"
    proc = cli("export", "--data", TINY, "--out", book, "--force", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr

    folder = tmp_path / "synth"
    folder.mkdir()
    (folder / "zones.csv").write_bytes(mine)
    proc = cli("synth", "--zones", 2, "--out", folder, cwd=tmp_path)
    assert proc.returncode == 2 and str(folder / "zones.csv") in proc.stderr
    assert snapshot(folder) == {"zones.csv": mine}
    assert cli("synth", "--zones", 2, "--out", tmp_path / "fresh", cwd=tmp_path).returncode == 0  # a new folder: fine
    assert cli("synth", "--zones", 2, "--out", folder, "--force", cwd=tmp_path).returncode == 0
    assert (folder / "zones.csv").read_bytes() != mine
