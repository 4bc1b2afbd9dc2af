"""The collect command: open an office's collection of reports (libraries, codes), add to it, back it up."""

from __future__ import annotations

from pathlib import Path

import click

from annual_report.collect.codes import shown, write_code_list
from annual_report.collect.collection import Collection, backup
from annual_report.collect.libraries import read_library_list
from annual_report.core.errors import InputUnreadable
from annual_report.core.messages import message
from annual_report.core.write import refuse_existing
from annual_report.workbook.text import identity

CODES_NAME = "报送码-{year}.xlsx"
LIST = click.option(
    "--libraries",
    "library_list",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="（必填）应报送的图书馆名单：.xlsx 或 CSV，第一列（或标题为“馆名”的一列）每行一个馆名，可加一列“邮箱”。",
)
CODES = click.option(
    "-o",
    "--codes",
    "codes_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="报送码清单（.xlsx）的保存位置（默认：当前文件夹中的 报送码-<年度>.xlsx）。",
)
FORCE = click.option("--force", is_flag=True, help="覆盖已存在的报送码清单。")


@click.group()
def collect() -> None:
    """收报单位收集各馆年报：开启收集、名单和报送码。

    建立收集（名单、报送码），用 serve --collect 提供网页，备份。"""


@collect.command("open")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--year", type=click.IntRange(1949, 2100), help="（必填）收集哪一年度的年报。")
@LIST
@click.option("--operator", help="网页上显示的收报单位名称。")
@click.option("--contact", help="网页上显示的联系方式。")
@click.option("--deadline", help="网页上显示的报送截止日期，例：2025-03-31。")
@CODES
@FORCE
def open_collection(folder, year, library_list, operator, contact, deadline, codes_file, force) -> None:
    """在新的数据文件夹 FOLDER 中建立一个收集，为每个馆生成报送码。"""
    if year is None or library_list is None:
        raise click.UsageError(message("collect-open-needs"))
    expected = read_library_list(library_list)
    target = codes_file or Path(CODES_NAME.format(year=year))
    refuse_existing(target, force=force)
    collection, added, office = Collection.create(
        folder, year, expected, operator=operator or "", contact=contact or "", deadline=deadline or ""
    )
    try:
        written = write_code_list(target, [(lib.name, code, lib.email) for lib, code in added], year, force=force)
    finally:
        collection.close()
    click.echo(f"已建立 {year} 年度的收集：{len(added)} 个馆，数据文件夹 {folder}")
    click.echo(f"各馆的报送码在 {written}（请分别发给各馆，妥善保管；工具只保存它们的摘要，不能再次导出）")
    click.echo(f"收报单位的管理码：{shown(office)}（进入汇总看板用，请记下，不要发给各馆）")
    click.echo(f"下一步：python fill.py serve --collect {folder} --host 0.0.0.0")


@collect.command("add")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@LIST
@CODES
@FORCE
def add(folder, library_list, codes_file, force) -> None:
    """把名单中还没有的馆加入收集（已有的馆不变），为新加的馆生成报送码。"""
    if library_list is None:
        raise click.UsageError(message("collect-add-needs"))
    expected = read_library_list(library_list)
    collection = Collection.open(folder)
    try:
        target = codes_file or Path(CODES_NAME.format(year=collection.year))
        refuse_existing(target, force=force)
        added = collection.add(expected)
        if not added:
            click.echo("名单中的馆都已在收集中，没有新加的馆。")
            return
        written = write_code_list(target, [(lib.name, code, lib.email) for lib, code in added], collection.year, force)
    finally:
        collection.close()
    click.echo(f"新加 {len(added)} 个馆，它们的报送码在 {written}")


@collect.command("codes")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--renew", "names", multiple=True, help="为这个馆换一个新的报送码（可写多次）；旧码立即失效。")
@click.option("--office", is_flag=True, help="换一个新的管理码；旧码立即失效。")
@CODES
@FORCE
def renew_codes(folder, names, office, codes_file, force) -> None:
    """换新的报送码（某馆遗失了报送码时）或管理码。"""
    if not names and not office:
        raise click.UsageError(message("collect-renew-needs"))
    collection = Collection.open(folder)
    try:
        known = {identity(lib.name): lib for lib in collection.libraries()}
        chosen = []
        for name in names:
            if identity(name) not in known:
                raise InputUnreadable(message("collect-no-such-library", name=name))
            chosen.append(known[identity(name)])
        if chosen:
            target = codes_file or Path(CODES_NAME.format(year=collection.year))
            rows = [(lib.name, collection.renew(lib), lib.email) for lib in chosen]
            written = write_code_list(target, rows, collection.year, force)
            click.echo(f"已为 {len(rows)} 个馆换了报送码，新码在 {written}")
        if office:
            click.echo(f"新的管理码：{shown(collection.renew_office_code())}")
    finally:
        collection.close()


@collect.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
def backup_command(folder, target) -> None:
    """把收集（数据库和全部文件）备份到新的文件夹 TARGET；服务运行时也可以备份。"""
    written = backup(folder, target)
    click.echo(f"已备份到 {written}（恢复时用它代替原来的数据文件夹即可）")
