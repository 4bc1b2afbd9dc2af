"""The command line: thin wrappers over the library, in Chinese."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from annual_report import __version__
from annual_report.cli.group import ReportGroup, note_subject, remember_format
from annual_report.cli.output import emit
from annual_report.core.errors import ReportError
from annual_report.core.program import program, started_as
from annual_report.core.scratch import exit_on_terminate, remove_stale

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
BLANK_NAME = "年报填报模板.xlsx"
WORD_TEMPLATE_NAME = "年报模板.docx"
SUMMARY_NAME = "汇总.xlsx"

FORMAT = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    is_eager=True,
    callback=remember_format,
    help="结果格式：text 给人看，json 给程序用（出错时也输出一份 JSON）。",
)
BRANCHES = click.option(
    "--branches",
    type=click.Path(file_okay=False, path_type=Path),
    help="总馆：各分馆工作簿所在的文件夹（生成分馆情况表、分馆对比图和全馆数，并检查各分馆）。",
)
TEMPLATE = click.option(
    "--template",
    type=click.Path(dir_okay=False, path_type=Path),
    help="用本单位的 Word 模板生成（用 template --word 得到自带的模板，在 Word 中修改后另存；先用 check-template 检查）。",
)
JOBS = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="处理文件夹时同时处理几个工作簿（默认：本机的 CPU 核数）。",
)


@click.group(cls=ReportGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", message="年报工具 %(version)s", help="显示版本号并退出。")
@click.option("--debug", is_flag=True, help="出错时显示完整的技术信息（供开发人员排查）。")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """公共图书馆年度工作报告（年报）生成工具。

    \b
    典型用法：
      python fill.py template -o 年报.xlsx      生成空白填报工作簿
      python fill.py validate 年报.xlsx         检查填好的工作簿
      python fill.py render 年报.xlsx           生成 Word 年报到 outputs/
      python fill.py send 报告.docx --to 地址    用电子邮件发送报告（先运行 send --setup）
    """
    ctx.obj = {"debug": debug}  # and, once a command's options are read: format, listing, subject
    # python fill.py, fill or python -m annual_report; a caller that names no program (a test) gets the checkout's
    started_as(ctx.info_name if ctx.info_name != ctx.command.name else None)
    remove_stale()  # scratch folders of runs that were killed
    ctx.call_on_close(exit_on_terminate())


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"工作簿的保存位置（默认 {BLANK_NAME}；用 --from 时为 <馆名>-<下一年>-年报填报.xlsx）。",
)
@click.option("--force", is_flag=True, help="覆盖已存在的文件。")
@click.option(
    "--from",
    "last_year",
    type=click.Path(dir_okay=False, path_type=Path),
    help="上一年填好的工作簿：据此生成下一年的工作簿（年度加一，上年数据、封面、机构和人员带入）。",
)
@click.option(
    "--from-docx",
    "last_report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="上一年手工编写的 Word 年报（.docx；装有 LibreOffice 时也可以是 .doc、.wps）：据此生成下一年的工作簿。",
)
@click.option(
    "--year",
    type=click.IntRange(1949, 2100),
    help="与 --from-docx 同用：新工作簿的报告年度（默认为 Word 年报的年度加一）。",
)
@click.option("--word", is_flag=True, help="生成自带的 Word 模板（.docx），供单位在 Word 中改成本单位的格式，生成时用 render --template。")
@FORMAT
def template(
    output: Path | None,
    force: bool,
    last_year: Path | None,
    last_report: Path | None,
    year: int | None,
    word: bool,
    output_format: str,
) -> None:
    """生成空白的年报填报工作簿（.xlsx），或用 --from 由上一年的工作簿、用 --from-docx 由上一年的 Word 年报生成下一年的。

    加 --word 时生成自带的 Word 模板，供单位改成自己的格式（见 README“本单位的 Word 模板”）。
    """
    if sum(option is not None for option in (last_year, last_report)) + word > 1:
        raise click.UsageError("--from、--from-docx 和 --word 只能选一个")
    if word:
        write_word_template(output or Path(WORD_TEMPLATE_NAME), force, output_format)
        return
    note_subject(last_report or last_year)
    if last_report is not None:
        write_from_docx(last_report, output, force, year, output_format)
        return
    if last_year is not None:
        write_next(last_year, output, force, output_format)
        return
    output = output or Path(BLANK_NAME)
    write_blank(output, force)
    emit(json.dumps({"output": str(output)}, ensure_ascii=False) if output_format == "json" else str(output))
    click.echo(f"已生成空白工作簿 {output}。请逐张填写黄色单元格，然后运行：{program()} validate {output}", err=True)


def write_word_template(output: Path, force: bool, output_format: str) -> None:
    """template --word: a copy of the built-in Word template, for an office to make its own."""
    from annual_report.core.write import write_via
    from annual_report.report.render import TEMPLATE_PATH

    if output.suffix.lower() != ".docx":
        raise click.UsageError(f"Word 模板的文件名应以 .docx 结尾：{output}")
    write_via(output, lambda draft: draft.write_bytes(TEMPLATE_PATH.read_bytes()), force=force)
    emit(json.dumps({"output": str(output)}, ensure_ascii=False) if output_format == "json" else str(output))
    click.echo(
        f"已生成 Word 模板 {output}。在 Word 中修改样式和固定文字（保留 {{{{ }}}} 和 {{% %}} 标记），"
        f"用 {program()} check-template {output} 检查，再用 render --template {output} 生成报告。",
        err=True,
    )


def write_blank(output: Path, force: bool) -> None:
    """Write the blank workbook through a temporary file (over an existing one only with force)."""
    from annual_report.core.write import write_via
    from annual_report.workbook.blank import write_workbook

    write_via(output, write_workbook, force=force)


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@FORMAT
@click.option("--strict", is_flag=True, help="警告也算作错误。")
@JOBS
@BRANCHES
def validate(workbook: Path, output_format: str, strict: bool, jobs: int | None, branches: Path | None) -> None:
    """检查填好的工作簿，一次列出所有问题（工作表!单元格）。

    给出文件夹时检查其中（含子文件夹）所有工作簿，最后列出每个文件的结果。

    退出码：0 没有错误（可以有警告），1 有错误，2 文件无法读取或命令写错。
    """
    note_subject(workbook, listing=workbook.is_dir())
    if workbook.is_dir():
        if branches is not None:
            raise click.UsageError("--branches 只用于一个工作簿（总馆的工作簿），不能用于文件夹")
        validate_folder_command(workbook, output_format, strict, jobs)
        return
    from annual_report.core.reporting import as_json, as_text
    from annual_report.workbook.validate import validate_workbook

    if branches is not None:
        from annual_report.pipeline.branches import validate_network

        _, result, _ = validate_network(workbook, branches)
    else:
        _, result = validate_workbook(workbook)
    emit(as_json(result, strict) if output_format == "json" else as_text(result, workbook.name))
    if result.blocks(strict):
        if output_format == "text":
            click.echo("请按提示修改工作簿后重新检查。", err=True)
        sys.exit(1)


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="生成的 .docx 路径（默认 outputs/<馆名>-<年度>-年报.docx）；处理文件夹时是保存报告的文件夹。",
)
@click.option("--force", is_flag=True, help="覆盖已存在的报告。")
@click.option("--strict", is_flag=True, help="有警告也不生成。")
@click.option("--pdf", is_flag=True, help="同时生成 PDF（与 .docx 同名，放在一起；需要 LibreOffice）。")
@click.option("--no-layout", is_flag=True, help="不用 LibreOffice 排版（更快；目录页码改由 Word 打开文件时更新）。")
@click.option(
    "--thumbnail/--no-thumbnail",
    default=None,
    help="在 .docx 中存入首页的缩略图，供文件夹窗口显示（需要排版；默认：单个文件存入，处理文件夹时不存入）。",
)
@JOBS
@BRANCHES
@click.option("--trace", is_flag=True, help="在报告末尾附“数据来源”：每个数字来自哪个单元格，派生数字怎样算出。")
@TEMPLATE
def render(
    workbook: Path,
    output: Path | None,
    force: bool,
    strict: bool,
    pdf: bool,
    no_layout: bool,
    thumbnail: bool | None,
    jobs: int | None,
    branches: Path | None,
    trace: bool,
    template: Path | None,
) -> None:
    """检查工作簿并生成 Word 年报（有错误时不生成）。

    装有 LibreOffice 时，先用它排版一次，把页码写进目录；加 --pdf 同时生成 PDF。
    给出文件夹时为其中（含子文件夹）每个工作簿生成一份年报，一个出错不影响其他的。
    总馆加 --branches 分馆文件夹，报告中有分馆情况表、分馆对比图和全馆数。
    """
    from annual_report.pipeline.options import render_options

    if no_layout and (pdf or thumbnail):
        flag = "--pdf" if pdf else "--thumbnail"
        raise click.UsageError(f"{flag} 需要用 LibreOffice 排版，不能与 --no-layout 同时使用")
    folder = workbook.is_dir()
    if folder and (branches is not None or trace):
        raise click.UsageError("--branches 和 --trace 只用于一个工作簿（总馆的工作簿），不能用于文件夹")
    options = render_options(
        output=output, force=force, strict=strict, layout=False if no_layout else None, pdf=pdf, thumbnail=thumbnail,
        trace=trace, branches=branches, template=template, folder=folder,
    )  # fmt: skip
    if folder:
        render_folder_command(workbook, options, jobs)
        return
    from annual_report.core.reporting import as_text, summary_line
    from annual_report.pipeline.single import render_workbook

    outcome = render_workbook(workbook, options)
    if outcome.output is None:
        click.echo(as_text(outcome.result, workbook.name), err=True)
        click.echo("工作簿有错误，未生成报告。请修改后重新运行。", err=True)
        sys.exit(1)
    if outcome.result.problems:
        click.echo(as_text(outcome.result, workbook.name), err=True)
    emit(str(outcome.output))
    if outcome.pdf:
        emit(str(outcome.pdf))
    for note in outcome.notes:
        click.echo(f"提示：{note}", err=True)
    made = f"{outcome.output} 和 {outcome.pdf}" if outcome.pdf else str(outcome.output)
    click.echo(f"已生成 {made}（{summary_line(outcome.result)}）。", err=True)


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=SUMMARY_NAME,
    show_default=True,
    help="汇总工作簿的保存位置。",
)
@click.option("--force", is_flag=True, help="覆盖已存在的汇总。")
@JOBS
def summary(folder: Path, output: Path, force: bool, jobs: int | None) -> None:
    """把文件夹中（含子文件夹）所有工作簿汇总成一个 Excel：每馆一行的主要数据和合计，以及全部问题清单。

    有错误的工作簿也列入汇总（问题见“问题清单”表）；汇总写成后退出码为 0。
    """
    from annual_report.pipeline.batch import find_workbooks, validate_folder
    from annual_report.pipeline.summary import check_target, resubmission_notes, write_summary

    if not folder.is_dir():
        raise click.UsageError(f"{folder} 不是文件夹：请给出存放各馆工作簿的文件夹")
    check_target(output, force=force)  # before the work: never over a submitted workbook, even with --force
    total = _count(find_workbooks(folder, exclude=[output]), folder)
    with _progress(total, "检查中") as advance:
        results = validate_folder(folder, jobs=jobs, progress=advance, exclude=[output])
    written = write_summary(results, output, force=force)
    failed = sum(1 for r in results if r.status == "failed")
    for note in resubmission_notes(results):
        click.echo(f"提示：{note}", err=True)
    emit(str(written))
    click.echo(f"已汇总 {len(results)} 个工作簿到 {written}（{failed} 个有错误，详见“问题清单”表）。", err=True)


def validate_folder_command(folder: Path, output_format: str, strict: bool, jobs: int | None) -> None:
    """validate DIR: every workbook checked, a table (or JSON list) of per-file results, exit 1 if any failed."""
    from annual_report.pipeline.batch import as_table, find_workbooks, validate_folder

    total = _count(find_workbooks(folder), folder)
    with _progress(total, "检查中") as advance:
        results = validate_folder(folder, jobs=jobs, strict=strict, progress=advance)
    if output_format == "json":
        emit(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
    else:
        emit(as_table(results, rendering=False))
    if any(r.status == "failed" for r in results):
        if output_format == "text":
            click.echo("请按“首个问题”修改未通过的工作簿；用 validate 加文件名可看到它的全部问题。", err=True)
        sys.exit(1)


def render_folder_command(folder: Path, options, jobs: int | None) -> None:
    """render DIR: a report for every workbook, a table of per-file results, exit 1 if any failed."""
    from annual_report.core.write import OUTPUTS
    from annual_report.pipeline.batch import as_table, find_workbooks, render_folder

    output = options.output
    if output is not None and (output.suffix.lower() == ".docx" or output.is_file()):
        raise click.UsageError(f"处理文件夹时，-o 应当是保存报告的文件夹，而不是文件：{output}")
    total = _count(find_workbooks(folder), folder)
    with _progress(total, "生成中") as advance:
        results = render_folder(folder, output or OUTPUTS, options, jobs=jobs, progress=advance)
    emit(as_table(results, rendering=True))
    if any(r.status == "failed" for r in results):
        click.echo("未生成的工作簿请按“首个问题”修改后重新运行；用 validate 加文件名可看到它的全部问题。", err=True)
        sys.exit(1)


def write_next(last_year: Path, output: Path | None, force: bool, output_format: str = "text") -> None:
    """template --from: next year's workbook; last year's problems are shown but do not stop it."""
    from annual_report.core.reporting import as_text
    from annual_report.workbook.next_year import write_next_year

    written, result = write_next_year(last_year, output, force=force)
    if output_format == "json":
        emit(json.dumps({"output": str(written)} | result.to_dict(), ensure_ascii=False, indent=2))
    elif result.problems:
        click.echo(as_text(result, last_year.name), err=True)
        click.echo("以上是上一年工作簿中的问题，相关内容已照原样带入新工作簿，请在新工作簿中核对。", err=True)
    if output_format != "json":
        emit(str(written))
    click.echo(
        f"已生成下一年的工作簿 {written}：上年数据、封面、组织机构、党组织、人员和图片已带入，"
        f"请填写本年数据和正文，然后运行：{program()} validate {written}",
        err=True,
    )


def write_from_docx(source: Path, output: Path | None, force: bool, year: int | None, output_format: str) -> None:
    """template --from-docx: next year's workbook from last year's Word report, with the import report."""
    from annual_report.importer.document import write_imported
    from annual_report.importer.report import as_json, as_text

    written, report = write_imported(source, output, force=force, year=year)
    emit(as_json(report) if output_format == "json" else as_text(report))
    click.echo(f"已生成工作簿 {written}。请按上面的提示核对，然后运行：{program()} validate {written}", err=True)


def _count(paths: list[Path], folder: Path) -> int:
    if not paths:
        from annual_report.core.errors import InputUnreadable

        raise InputUnreadable(f"文件夹 {folder} 中（含子文件夹）没有找到 Excel 工作簿（.xlsx）")
    return len(paths)


@contextmanager
def _progress(total: int, label: str):
    """A progress bar on stderr (click hides it when stderr is no terminal); yields the per-file callback."""
    with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True) as bar:
        yield lambda result: bar.update(1)


@main.command("check-template")
@click.argument("template_path", metavar="[TEMPLATE.docx]", type=click.Path(path_type=Path), required=False)
@FORMAT
def check_template_command(template_path: Path, output_format: str) -> None:
    """检查 Word 模板：Jinja 语法错误、schema 中没有的变量、没有用到的字段。

    不给出文件时检查自带的 templates/年报模板.docx。有错误时退出码为 1。
    """
    from annual_report.core.problems import ValidationResult
    from annual_report.core.reporting import as_json, as_text
    from annual_report.report.render import TEMPLATE_PATH
    from annual_report.report.template_check import check_template

    template_path = template_path or TEMPLATE_PATH
    note_subject(template_path)
    if not template_path.is_file():
        raise ReportError(f"找不到 Word 模板：{template_path}")
    result = ValidationResult(tuple(check_template(template_path)))
    emit(as_json(result) if output_format == "json" else as_text(result, template_path.name))
    if result.errors:
        sys.exit(1)
