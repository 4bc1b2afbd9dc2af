"""python -m annual_report: the same command line as fill.py."""

from annual_report.cli.main import main

main()
