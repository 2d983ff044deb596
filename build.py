#!/usr/bin/env python3
"""Same program as `nzc-report`: python build.py build|validate|verify ..."""
import sys

from nzc_report.cli import main

if __name__ == "__main__":
    sys.exit(main())
