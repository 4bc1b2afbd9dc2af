"""Command line of the annual-report tool: python fill.py --help"""

from annual_report.cli.main import main

if __name__ == "__main__":
    main()
