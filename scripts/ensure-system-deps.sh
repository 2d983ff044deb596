#!/bin/sh
# Make sure the system packages nzc-report needs are present (Debian/Ubuntu).
#   fonts-noto-cjk       the Chinese fonts the reports are set in
#   libharfbuzz-subset0  fast font subsetting; without it WeasyPrint falls back
#                        to fontTools and one Chinese PDF takes 20-50 s, not 0.3 s
#   poppler-utils        pdffonts/pdftotext, used by the tests to read PDFs back
#   python3-venv         only when `python3 -m venv` cannot work yet
# With --test (make test), also what the test suite needs beyond that:
#   chromium             headless browser that opens the reviewers' portal (tests/test_portal_e2e.py)
# Quick when everything is there: it only asks dpkg.
set -eu

PACKAGES="fonts-noto-cjk libharfbuzz-subset0 poppler-utils"
if [ "${1:-}" = "--test" ]; then
    PACKAGES="$PACKAGES chromium"
fi

missing=""
if command -v dpkg-query >/dev/null 2>&1; then
    for p in $PACKAGES; do
        status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        case "$status" in
            *"install ok installed"*) ;;
            *) missing="$missing $p" ;;
        esac
    done
    if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
        missing="$missing python3-venv"
    fi
else
    # Not a Debian system: check the things themselves and say what is missing.
    fc-list 2>/dev/null | grep -q "Noto Sans CJK SC" || missing="$missing fonts-noto-cjk"
    ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset" || missing="$missing libharfbuzz-subset0"
    command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
    case "$PACKAGES" in
        *chromium*) command -v chromium >/dev/null 2>&1 || missing="$missing chromium" ;;
    esac
    if [ -n "$missing" ]; then
        echo "nzc-report: missing system packages:$missing" >&2
        echo "  This is not a Debian system; install the equivalents with your package manager." >&2
        exit 1
    fi
    exit 0
fi

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "nzc-report: missing system packages:$missing" >&2
    echo "  Installing them needs root. Run:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y$missing" >&2
    echo "  then run make again." >&2
    exit 1
fi

echo "nzc-report: installing system packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
