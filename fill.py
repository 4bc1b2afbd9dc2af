"""Command line of the annual-report tool: python fill.py --help"""

from annual_report.cli.main import main

if __name__ == "__main__":
    main(prog_name="python fill.py")  # how the librarian runs it, in usage lines and hints
