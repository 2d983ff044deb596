import sys

from nzc_report.cli import main

sys.exit(main())
