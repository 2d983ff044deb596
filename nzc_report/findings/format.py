"""Figures as the sentences of a report write them (Chinese conventions)."""
from __future__ import annotations

__all__ = ["value_text", "join"]


def value_text(value: float | None, unit: str | None) -> str:
    """A value with its unit: 37.5%, 336,000吨二氧化碳当量, 1.30吨二氧化碳当量/吨标准煤."""
    if value is None:
        return "未报告"
    unit = unit or ""
    if unit == "%":
        return f"{value:z.1f}%"
    if unit == "分":
        return f"{value:z.0f}分"
    if float(value).is_integer() or abs(value) >= 1000:
        return f"{value:z,.0f}{unit}"
    if abs(value) >= 100:
        return f"{value:z.0f}{unit}"
    return f"{value:z.2f}{unit}"


def join(items) -> str:
    return "、".join(str(i) for i in items)
