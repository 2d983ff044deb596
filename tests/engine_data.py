"""Shared fixtures of the engine tests: the engine dataset and the project's framework and rules.

tests/data/engine holds three zones built so that every rule fires in one of
them and stays silent in another: `good` (a community doing everything right:
no problem may be found there), `weak` (a town with a problem of every kind)
and `bare` (an organisation that reported its emissions and nothing else).
"""
from pathlib import Path

from nzc_report.assess import load_framework
from nzc_report.findings import load_rules
from nzc_report.resources import PARAMS_DIR

ENGINE = Path(__file__).parent / "data" / "engine"
FRAMEWORK_PATH = PARAMS_DIR / "framework.yaml"
RULES_PATH = PARAMS_DIR / "rules.yaml"


def framework():
    return load_framework(FRAMEWORK_PATH)


def rules():
    return load_rules(RULES_PATH)
