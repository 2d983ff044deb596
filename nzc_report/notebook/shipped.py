"""Datasets that travel with a task: a zone's rows, not the files they came from.

A worker has no access to the build's dataset. The build sends each zone its
slice of every table (with the spreadsheet row numbers and the input files'
sha256 as the build read them) as a pickled ShippedDataset. On the worker it
is written beside an empty stand-in named like the dataset (a folder, or a
file for a workbook, so that evidence cites ``dataset.xlsx[sheet]`` as
before). The notebook still calls ``load_dataset(data)``: ``install()``, run
in every kernel before the notebook, makes that call answer with the shipped
rows when ``data`` is such a stand-in, and read files as usual otherwise.
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nzc_report.dataset import Dataset

SUFFIX = ".nzc-rows.pickle"


@dataclass
class ShippedDataset(Dataset):
    """A Dataset restricted to some zones, citing the build's input files."""

    shipped_provenance: list[dict] = field(default_factory=list)
    source_is_file: bool = False

    def provenance(self) -> list[dict]:
        return [dict(p) for p in self.shipped_provenance]


def zone_slices(ds: Dataset, zone_ids: list[str]) -> dict[str, bytes]:
    """Each zone's rows of every table (tables without zone_id whole), pickled; one pass per table."""
    groups: dict[str, dict[str, pd.DataFrame]] = {}
    for name, df in ds.tables.items():
        if "zone_id" in df.columns and not df.empty:
            # not dict(groupby): a GroupBy has a `keys` attribute, so dict() would take it for a mapping
            groups[name] = {z: g for z, g in df.groupby("zone_id", sort=False)}  # noqa: C416
    provenance = ds.provenance()
    out = {}
    for zone_id in zone_ids:
        tables = {}
        for name, df in ds.tables.items():
            if name in groups:
                tables[name] = groups[name].get(zone_id, df.iloc[0:0])
            else:
                tables[name] = df
        shipped = ShippedDataset(source=Path(ds.source.name), tables=tables, files=[], meta=dict(ds.meta),
                                 warnings=[], shipped_provenance=provenance, source_is_file=ds.source.is_file())
        out[zone_id] = pickle.dumps(shipped, protocol=pickle.HIGHEST_PROTOCOL)
    return out


def unpack(payload: bytes, folder: Path) -> Path:
    """Writes a zone slice into ``folder``; returns the stand-in path to pass as the notebook's ``data``."""
    shipped: ShippedDataset = pickle.loads(payload)
    stand_in = folder / shipped.source.name
    if shipped.source_is_file:
        stand_in.touch()
    else:
        stand_in.mkdir(exist_ok=True)
    stand_in.with_name(stand_in.name + SUFFIX).write_bytes(payload)
    return stand_in


def install() -> None:
    """Makes nzc_report.dataset.load_dataset answer with shipped rows (idempotent)."""
    import nzc_report.dataset as dataset

    if getattr(dataset.load_dataset, "nzc_shipped", False):
        return
    original = dataset.load_dataset

    def load_dataset(path, *args, **kwargs):
        p = Path(path)
        rows = p.with_name(p.name + SUFFIX)
        if rows.is_file():
            shipped = pickle.loads(rows.read_bytes())
            shipped.source = p  # the stand-in: a folder, or a file for a workbook, as the original
            return shipped
        return original(path, *args, **kwargs)

    vars(load_dataset).update(nzc_shipped=True, __wrapped__=original)  # function attributes
    load_dataset.__doc__ = original.__doc__
    dataset.load_dataset = load_dataset
