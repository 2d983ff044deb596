"""Workspaces: an evaluator's own folder with settings, data and per-zone parameters.

``nzc-report init DIR [--sample]`` writes one; ``build`` and ``validate`` run
inside it (the current folder holds nzc-report.yaml) read its settings, with
options on the command line winning, and its ``params/`` overlays the
project's params exactly as ``--params`` does.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from nzc_report.errors import UsageError
from nzc_report.resources import PARAMS_DIR, SAMPLE_DATA_DIR
from nzc_report.yamlfile import read_checked

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

    @property
    def params(self) -> Path | None:
        folder = self.root / "params"
        return folder if folder.is_dir() else None

    @property
    def zone_defaults(self) -> dict:
        return {"evaluating_body": self.evaluating_body} if self.evaluating_body else {}


def load_workspace(root: Path) -> Workspace:
    """The settings of the workspace at ``root``, checked against schemas/workspace.schema.json."""
    settings = read_checked(root / SETTINGS_FILE, "workspace")

    def path(key: str) -> Path | None:
        value = settings.get(key)
        return root / value if value else None

    return Workspace(root=root, data=path("data"), year=settings.get("year"), lang=settings.get("lang"),
                     evaluating_body=settings.get("evaluating_body"), out=path("out"),
                     pdf_variant=settings.get("pdf_variant"))


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
- `params/` 中也可以放 `framework.yaml`（指标体系）、`rules.yaml`（问题与建议规则）等文件，
  它们替换工具自带的同名文件；没有放的文件沿用工具自带的。

修改任何一个文件后再运行 `nzc-report build`，只重新生成受影响的报告。
参数文件有误时，工具会以“文件:行号: 说明”的形式列出全部问题，不生成任何报告。
"""

SAMPLE_LINE = ("- `data/sample/`：示例数据集（所有数字均为示例数据，并非真实监测数据），"
               "及其各示范区参数 `params/zones/*.yaml`。\n")


def init_workspace(dest: Path, sample: bool = False, evaluating_body: str = "某某评估机构") -> list[Path]:
    """Writes a workspace into ``dest`` (new or empty of a workspace); returns the files written."""
    from nzc_report.dataset.workbook import write_template

    if (dest / SETTINGS_FILE).exists():
        raise UsageError(f"{dest / SETTINGS_FILE} already exists: {dest} is already a workspace")
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest} exists and is not a folder")
    written: list[Path] = []

    def write(rel: str, text: str) -> None:
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    (dest / "data").mkdir(parents=True, exist_ok=True)
    write_template(dest / WORKBOOK)
    written.append(dest / WORKBOOK)
    write(EXAMPLE_PARAMS, EXAMPLE_TEMPLATE)
    if sample:
        shutil.copytree(SAMPLE_DATA_DIR, dest / SAMPLE)
        written.append(dest / SAMPLE)
        for path in sorted((PARAMS_DIR / "zones").glob("*.yaml")):
            shutil.copyfile(path, dest / "params" / "zones" / path.name)
            written.append(dest / "params" / "zones" / path.name)
    write("README.md", README_TEMPLATE.format(sample_line=SAMPLE_LINE if sample else ""))
    # Last: a folder is a workspace only once it is complete.
    write(SETTINGS_FILE, SETTINGS_TEMPLATE.format(data=SAMPLE if sample else WORKBOOK,
                                                  evaluating_body=evaluating_body))
    return written
