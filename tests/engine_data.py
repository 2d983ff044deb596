"""Shared fixtures of the engine tests: the engine dataset and the framework and rules they own.

tests/data/engine holds three zones built so that every rule fires in one of
them and stays silent in another: `good` (a community doing everything right:
no problem may be found there), `weak` (a town with a problem of every kind)
and `bare` (an organisation that reported its emissions and nothing else).

The arithmetic tests read tests/data/engine-params (their own copy of the
framework and rules), so an expert editing params/ does not break them; the
tests that check the shipped files on purpose read SHIPPED_FRAMEWORK / SHIPPED_RULES.
"""
from pathlib import Path

from nzc_report.assess import load_framework
from nzc_report.findings import load_rules
from nzc_report.resources import PARAMS_DIR

DATA = Path(__file__).parent / "data"
ENGINE = DATA / "engine"
FRAMEWORK_PATH = DATA / "engine-params" / "framework.yaml"
RULES_PATH = DATA / "engine-params" / "rules.yaml"
SHIPPED_FRAMEWORK = PARAMS_DIR / "frameworks" / "near-zero-zone.yaml"
SHIPPED_RULES = PARAMS_DIR / "rules.yaml"


def framework():
    """The tests' own framework (tests/data/engine-params)."""
    return load_framework(FRAMEWORK_PATH)


def rules():
    """The tests' own rules, checked against the tests' own framework."""
    return load_rules(RULES_PATH, framework())


def shipped_framework():
    return load_framework(SHIPPED_FRAMEWORK)


def shipped_rules():
    return load_rules(SHIPPED_RULES, shipped_framework())


def sample_units() -> dict[str, str]:
    """The indicator ids and units of every shipped framework: what the sample's indicators.csv
    is checked against (its example parks report the zero-carbon park's guiding indicators)."""
    from nzc_report.assess.frameworks import load_frameworks

    return load_frameworks(PARAMS_DIR).units()
