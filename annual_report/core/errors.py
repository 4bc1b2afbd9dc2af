"""The package's exceptions: each carries a Chinese message a librarian can act on."""


class ReportError(Exception):
    """Base of every error the command line reports as one Chinese line."""

    exit_code = 1


class InputUnreadable(ReportError):
    """The input file cannot be read as a workbook at all."""

    exit_code = 2

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code  # the refusal's code in core.refusals, where it has one


class OutputError(ReportError):
    """The report cannot be written where it should go."""


class TemplateError(ReportError):
    """The Word template is broken or does not match the schema."""
