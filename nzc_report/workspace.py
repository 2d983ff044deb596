"""Workspaces: an evaluator's own folder with settings, data and per-zone parameters.

``nzc-report init DIR [--sample]`` writes one; ``build`` and ``validate`` run
inside it (the current folder holds nzc-report.yaml) read its settings, with
options on the command line winning, and its ``params/`` overlays the
project's params exactly as ``--params`` does.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from nzc_report.errors import UsageError
from nzc_report.resources import PARAMS_DIR, SAMPLE_DATA_DIR
from nzc_report.yamlfile import read_checked, said

SETTINGS_FILE = "nzc-report.yaml"
WORKBOOK = "data/dataset.xlsx"
SAMPLE = "data/sample"
EXAMPLE_PARAMS = "params/zones/_example.yaml"


@dataclass(frozen=True)
class Workspace:
    root: Path
    data: Path | None = None
    year: int | None = None
    lang: str | None = None
    evaluating_body: str | None = None
    out: Path | None = None
    pdf_variant: str | None = None
    document_number: str | None = None  # 文号 (cli.md v3)
    sign_off: dict | None = None  # 编制 / 审核 / 批准 (cli.md v3)
    framework: str | None = None  # default framework of the workspace (cli.md v3)

    @property
    def params(self) -> Path | None:
        folder = self.root / "params"
        return folder if folder.is_dir() else None

    @property
    def zone_defaults(self) -> dict:
        out = {"evaluating_body": self.evaluating_body, "document_number": self.document_number,
               "sign_off": self.sign_off}
        return {k: v for k, v in out.items() if v}


def load_workspace(root: Path) -> Workspace:
    """The settings of the workspace at ``root``, checked against schemas/workspace.schema.json."""
    settings = read_checked(root / SETTINGS_FILE, "workspace")

    def path(key: str) -> Path | None:
        value = settings.get(key)
        return root / value if value else None

    return Workspace(root=root, data=path("data"), year=settings.get("year"), lang=settings.get("lang"),
                     evaluating_body=settings.get("evaluating_body"), out=path("out"),
                     pdf_variant=settings.get("pdf_variant"), document_number=settings.get("document_number"),
                     sign_off=settings.get("sign_off"), framework=settings.get("framework"))


def find_workspace(cwd: Path | None = None) -> Workspace | None:
    """The workspace of the current folder, if it is one (it holds nzc-report.yaml)."""
    cwd = Path.cwd() if cwd is None else cwd
    if not (cwd / SETTINGS_FILE).is_file():
        return None
    return load_workspace(cwd)


SETTINGS_TEMPLATE = """\
# nzc-report 工作区设置。在本文件夹中运行 `nzc-report build` 或 `nzc-report validate` 时读取；
# 命令行选项优先于这里的设置。路径相对于本文件夹。
# Workspace settings; options on the command line win. Paths are relative to this folder.

# 数据集：CSV 文件夹或数据录入工作簿（.xlsx）
data: {data}

# 评估年度；留空表示数据中有排放数据的最新年度
year:

# 报告语言：zh（中文）或 en（English）
lang: zh

# 评估单位：各示范区参数文件未写 evaluating_body 时显示在封面上
evaluating_body: {evaluating_body}

# 文号（封面）；留空则不显示
document_number:

# 评估框架：数据中未填 programme 的区域按此框架评估；留空为 near-zero-zone（nzc-report frameworks 列出全部）
framework:{framework}

# 编制 / 审核 / 批准（封面签署栏）；留空则留出签字的空行。例如：
#   prepared_by: {{name: 张三, date: 2025-03-20}}
sign_off:
  prepared_by:
  reviewed_by:
  approved_by:

# 输出文件夹
out: build

# PDF 格式：留空为带标签的 PDF；存档用 pdf/a-2b，无障碍用 pdf/ua-1
pdf_variant:
"""

EXAMPLE_TEMPLATE = """\
# 示范区参数示例。复制本文件为 params/zones/<示范区编号>.yaml（编号即数据中 zone_id 一列），
# 按需填写；不需要的键可以删除。文字按原样显示在该示范区的报告中。
# An example of a zone's parameters: copy it to params/zones/<zone_id>.yaml.
zone_id: _example
evaluating_body: 某某评估机构
context: >-
  本示范区的背景介绍（在“一、重要意义”中显示）。
expert_opinion: >-
  专家组意见：……
site_visit:
  date: "2025-03-15"
  team: [张三, 李四]
  findings: >-
    现场核查情况：……
extra_problems:
  - category: progress      # concept 概念认识 / evaluation 评价标准与数据 / policy 配套政策 / progress 建设进展
    text: 评估组发现的问题……
extra_recommendations:
  - category: supporting_policy   # guidance / supporting_policy / pilot / international
    text: 评估组的建议……
"""

README_TEMPLATE = """\
# nzc-report 工作区

本文件夹是一个 nzc-report 工作区。在这里运行：

    nzc-report validate    # 检查数据和参数文件，列出全部问题
    nzc-report build       # 生成评估报告，输出到 build/

需要编辑的文件：

- `nzc-report.yaml`：工作区设置（数据集路径、评估年度、语言、评估单位、输出文件夹、PDF 格式）。
  命令行选项（如 `--year 2023`）优先于这里的设置。
- `data/dataset.xlsx`：数据录入工作簿。按各工作表的说明填写示范区、排放、碳汇、活动水平、
  指标、措施、机制和目标数据，然后把 `nzc-report.yaml` 中的 `data` 指向它。
{sample_line}- `params/zones/<示范区编号>.yaml`：每个示范区自己的参数：背景介绍（context）、评估单位、
  专家意见（expert_opinion）、现场核查情况（site_visit）、评估组补充的问题和建议
  （extra_problems、extra_recommendations）。参考 `params/zones/_example.yaml`。
- `params/` 中也可以放 `frameworks/<框架编号>.yaml`（评估框架，新增或替换同编号的框架，见 docs/frameworks.md）、
  `rules.yaml`（问题与建议规则）等文件，它们替换工具自带的同名文件；没有放的文件沿用工具自带的。

修改任何一个文件后再运行 `nzc-report build`，只重新生成受影响的报告。
参数文件有误时，工具会以“文件:行号: 说明”的形式列出全部问题，不生成任何报告。
"""

SAMPLE_LINE = ("- `data/sample/`：示例数据集（所有数字均为示例数据，并非真实监测数据），"
               "及其各示范区参数 `params/zones/*.yaml`。\n")


# -- never over what the user made ------------------------------------------------------------
INIT_RECORD = ".nzc-report-init.json"  # what init wrote: relative path → sha256 (``--force`` replaces only those, unchanged)


def describe(path: Path) -> str:
    """What is at ``path``, as the user would recognise it."""
    import datetime

    try:
        st = path.lstat()
    except OSError:
        return f"{path}"
    when = datetime.datetime.fromtimestamp(st.st_mtime).strftime("%Y-%m-%d %H:%M")
    if path.is_symlink():
        return said("ws_describe_link", path=path, target=os.readlink(path))
    if path.is_dir():
        return said("ws_describe_folder", path=path, n=sum(1 for _ in path.rglob("*")), when=when)
    return said("ws_describe_file", path=path, size=f"{st.st_size:,}", when=when)


def refuse_occupied(paths: list[Path], force: bool, what: str = "") -> None:
    """UsageError (exit 2) naming every target that exists already, unless ``force``."""
    occupied = [p for p in paths if os.path.lexists(p)]
    if occupied and not force:
        raise UsageError("\n".join([said("ws_exists", what=what or said("ws_the_target")),
                                    *(f"  {describe(p)}" for p in occupied), said("ws_move_or_force")]))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_new(path: Path, data: bytes, replace: bool) -> None:
    """``data`` into ``path`` via a temporary file: linked into place only if nothing is there
    (a file that appears meanwhile is never overwritten), or renamed over it when ``replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        if replace:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # FileExistsError if something is there
    finally:
        Path(tmp).unlink(missing_ok=True)


def _workspace_files(sample: bool, evaluating_body: str, framework: str | None = None) -> dict[str, bytes]:
    """Relative path → content of every file init writes, the settings file last."""
    from nzc_report.config import indicator_catalogue
    from nzc_report.dataset.workbook import write_template

    with tempfile.TemporaryDirectory(prefix="nzc-init-") as tmp:
        write_template(Path(tmp) / "dataset.xlsx", indicators=indicator_catalogue())
        files = {WORKBOOK: (Path(tmp) / "dataset.xlsx").read_bytes()}
    files[EXAMPLE_PARAMS] = EXAMPLE_TEMPLATE.encode("utf-8")
    if sample:
        for path in sorted(SAMPLE_DATA_DIR.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                files[f"{SAMPLE}/{path.relative_to(SAMPLE_DATA_DIR).as_posix()}"] = path.read_bytes()
        for path in sorted((PARAMS_DIR / "zones").glob("*.yaml")):
            files[f"params/zones/{path.name}"] = path.read_bytes()
    files["README.md"] = README_TEMPLATE.format(sample_line=SAMPLE_LINE if sample else "").encode("utf-8")
    # Last: a folder is a workspace only once it is complete.
    files[SETTINGS_FILE] = SETTINGS_TEMPLATE.format(data=SAMPLE if sample else WORKBOOK,
                                                    evaluating_body=evaluating_body,
                                                    framework=f" {framework}" if framework else "").encode("utf-8")
    return files


def _record(dest: Path) -> dict[str, str]:
    try:
        data = json.loads((dest / INIT_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _ours(path: Path, record: dict[str, str], rel: str) -> bool:
    """``path`` is a plain file init wrote, unchanged since."""
    if path.is_symlink() or not path.is_file() or rel not in record:
        return False
    try:
        return _digest(path.read_bytes()) == record[rel]
    except OSError:
        return False


@dataclass
class InitResult:
    written: list[Path]
    kept: list[Path]  # there already, not init's own: left as they are (--force)


def init_workspace(dest: Path, sample: bool = False, evaluating_body: str = "某某评估机构",
                   force: bool = False, framework: str | None = None) -> InitResult:
    """Writes a workspace into ``dest``. Never over a file init did not write: without ``force``
    any file of the workspace already there refuses it all (UsageError, nothing written); with
    ``force`` what is missing is written, files init wrote and nobody changed since are
    replaced, and everything else is kept."""
    if os.path.lexists(dest) and not dest.is_dir():
        raise UsageError(said("ws_not_a_folder", what=describe(dest)))
    files = _workspace_files(sample, evaluating_body, framework)
    record = _record(dest)
    occupied = [rel for rel in files if os.path.lexists(dest / rel)]
    blocked = [rel for rel in files if any((dest / rel).parents[i].exists() and not (dest / rel).parents[i].is_dir()
                                           for i in range(len(Path(rel).parts) - 1))]
    if blocked:
        raise UsageError("\n".join([said("ws_blocked", dest=dest),
                                    *(f"  {describe(dest / rel)}" for rel in blocked), said("ws_nothing_written")]))
    if occupied and not force:
        head = (said("ws_already_workspace", settings=dest / SETTINGS_FILE, dest=dest) if SETTINGS_FILE in occupied
                else said("ws_holds_files", dest=dest))
        raise UsageError("\n".join([said("ws_never_over", head=head),
                                    *(f"  {describe(dest / rel)}" for rel in occupied), said("ws_move_or_force_init")]))
    result = InitResult([], [])
    for rel, data in files.items():
        path = dest / rel
        if rel in occupied and not _ours(path, record, rel):
            result.kept.append(path)
            continue
        try:
            _write_new(path, data, replace=rel in occupied)
        except FileExistsError:  # it appeared meanwhile: the user's
            result.kept.append(path)
            continue
        record[rel] = _digest(data)
        result.written.append(path)
    _write_new_record(dest, record)
    return result


def _write_new_record(dest: Path, record: dict[str, str]) -> None:
    _write_new(dest / INIT_RECORD, (json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode(),
               replace=True)
