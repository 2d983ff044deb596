"""Where the project's own files live: templates, params, notebooks, sample data.

The package runs from a checkout (``pip install -e .``); NZC_REPORT_HOME
points elsewhere when the project files are installed apart from the code.
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("NZC_REPORT_HOME", Path(__file__).resolve().parents[1]))
TEMPLATES_DIR = PROJECT_ROOT / "templates"
PARAMS_DIR = PROJECT_ROOT / "params"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
SAMPLE_DATA_DIR = PROJECT_ROOT / "data" / "sample"
ZONE_NOTEBOOK = NOTEBOOKS_DIR / "zone_assessment.ipynb"
