"""nzc-report: assessment reports for near-zero carbon emission zones (近零碳排放区示范工程)."""

__version__ = "0.1.0"
