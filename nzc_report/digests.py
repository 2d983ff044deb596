"""The digests that need no dataset (and so no pandas): below every room that cites data.

``sha256_file`` is a file's SHA-256 (what ``sha256sum`` prints); ``digest_parts`` is the
length-prefixed SHA-256 over parts that build keys and data digests use;
``zones_digest`` is a provincial summary's data digest over its zones' digests
(nzc_report/dataset/digest.py says what each digest covers). verify and a build with nothing to
do read them without loading the dataset layer.
"""
from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_file(path: Path) -> str:
    """The SHA-256 of the file at ``path``, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def digest_parts(*parts: bytes | str) -> str:
    """sha256 over ``parts``, each prefixed with its length (no two lists of parts give one digest)."""
    h = hashlib.sha256()
    for p in parts:
        data = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def zones_digest(digests: dict[str, str]) -> str:
    """``digests``: zone_id → zone digest of the zones a summary covers; the SHA-256 of the lines
    ``<zone digest>  <zone_id>`` in zone_id order."""
    listing = "".join(f"{d}  {z}\n" for z, d in sorted(digests.items()))
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()
