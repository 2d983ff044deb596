"""The planned path the charts draw (dataset contract v2) and the years they show,
checked against hand-computed values."""
import pytest

from nzc_report.charts.paths import cut_at, planned_path, year_window

# Ningbo Meishan (sample data): baseline 2015 at 480,000 t; net reduction milestones
# 0 % by 2020, 50 % by 2025, 80 % by 2030, 100 % by 2050.
MEISHAN = [(2020, 480_000.0), (2025, 240_000.0), (2030, 96_000.0), (2050, 0.0)]


def test_the_path_runs_through_the_baseline_and_every_milestone_in_year_order():
    path = planned_path(2015, 480_000.0, list(reversed(MEISHAN)))
    assert path == [(2015, 480_000), (2020, 480_000), (2025, 240_000), (2030, 96_000), (2050, 0)]


def test_the_path_is_cut_at_the_edge_of_the_chart_with_its_value_there():
    path = planned_path(2015, 480_000.0, MEISHAN)
    assert cut_at(path, 2025) == [(2015, 480_000), (2020, 480_000), (2025, 240_000)]
    # 2024 lies on the 2020–2025 segment: 480,000 − 4/5 × 240,000 = 288,000
    assert cut_at(path, 2024) == [(2015, 480_000), (2020, 480_000), (2024, pytest.approx(288_000))]
    # a single target far away: the straight line from the baseline, up to the edge
    far = planned_path(2016, 30_000.0, [(2030, 15_000.0)])
    assert cut_at(far, 2019.6) == [(2016, 30_000), (2019.6, pytest.approx(30_000 - 15_000 * 3.6 / 14))]


def test_no_path_without_a_baseline_or_a_milestone_after_it():
    assert planned_path(None, 100.0, MEISHAN) == []
    assert planned_path(2015, None, MEISHAN) == []
    assert planned_path(2015, 100.0, []) == []
    assert planned_path(2015, 100.0, [(2010, 50.0)]) == []


def test_the_axis_shows_the_data_years_and_the_next_milestone_only():
    years = list(range(2015, 2025))
    assert year_window(years, [y for y, _ in MEISHAN]) == (2015, 2025)
    assert year_window(years, [2030]) == (2015, 2030)  # six years on: near enough
    assert year_window(years, [2050]) == (2015, 2024)  # 2050 does not squeeze the data
    assert year_window([2020, 2021, 2022], [2030]) == (2020, 2022)  # eight years after three of data
    assert year_window(years, [2012, 2018]) == (2012, 2024)  # an earlier milestone stays in view


def test_year_labels_every_year_or_every_nth_from_the_first_and_the_last():
    from nzc_report.charts.style import MAX_YEAR_LABELS, new_figure, year_axis

    ax = new_figure(2.0).subplots()
    year_axis(ax, 2015, 2030)
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(y) for y in range(2015, 2031)]
    year_axis(ax, 2000, 2030)
    shown = [int(t.get_text()) for t in ax.get_xticklabels()]
    assert shown[0] == 2000 and shown[-1] == 2030 and len(shown) <= MAX_YEAR_LABELS
