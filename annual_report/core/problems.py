"""Problems found in a workbook: small records with a stable code, reported all at once."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from annual_report.core import limits
from annual_report.core.cells import sort_position
from annual_report.core.program import program

ERROR = "error"
WARNING = "warning"

# A year-on-year change beyond YOY_THRESHOLD percent, on a base of at least YOY_MIN_BASE, is worth a look.
YOY_THRESHOLD = 50
YOY_MIN_BASE = 100


@dataclass(frozen=True)
class Code:
    """A kind of problem: its severity, what it means and how to fix it (shown in the README)."""

    severity: str
    meaning: str
    fix: str


CODES: dict[str, Code] = {
    # The workbook's shape
    "sheet-missing": Code(ERROR, "缺少一张工作表（或被改了名）", "从空白模板复制这张工作表，或把改过的表名改回原名"),
    "sheet-unknown": Code(WARNING, "多出一张模板里没有的工作表，其内容不会用到", "删除它，或把内容移到对应的工作表"),
    "label-missing": Code(ERROR, "表单中找不到某个项目所在的行（A 列标签被改动或删除）", "从空白模板复制原来的标签行"),
    "rows-missing": Code(
        WARNING,
        "表单中没有某些选填项目的行（多为用旧版模板制作的工作簿），按未填写处理",
        "要填写这些项目时，用 python fill.py template --from 本工作簿 生成新版工作簿，或从空白模板复制这些行",
    ),
    "column-missing": Code(ERROR, "表格缺少某一列的表头（第 1 行被改动）", "把第 1 行的表头改回空白模板中的样子"),
    "merged-cells": Code(
        ERROR, "填写区的单元格被合并，合并区域中只有左上角的内容能读到", "选中该区域，取消“合并单元格”后分别填写"
    ),
    # One cell
    "required": Code(ERROR, "必填项没有填写", "在所指单元格中填写"),
    "not-a-number": Code(ERROR, "应填数字的单元格里是文字", "只填阿拉伯数字，不要带单位或汉字"),
    "not-an-integer": Code(ERROR, "人数、册次等应为整数，却填了小数", "填整数"),
    "negative": Code(ERROR, "数量不能是负数", "填 0 或正数"),
    "too-large": Code(ERROR, "数字大得不合理", "检查是否多输入了位数"),
    "number-as-text": Code(
        WARNING, "数字以文本形式保存（带千位分隔符、全角数字或空格），已按数字读取", "把单元格格式设为“数值”后重新输入"
    ),
    "formula-no-value": Code(
        ERROR, "公式没有计算结果（文件由不计算公式的程序保存）", "在 Excel 或 WPS 中打开并保存一次，或直接填写数值"
    ),
    "not-a-date": Code(ERROR, "日期无法识别", "按 2020-12-31 的样式填写日期"),
    "date-as-text": Code(WARNING, "日期以文本形式填写，已按日期读取", "把单元格格式设为“日期”后重新输入"),
    "date-as-number": Code(WARNING, "日期以数字（序列号）形式保存，已按日期读取", "把单元格格式设为“日期”"),
    "not-in-list": Code(ERROR, "填写的内容不在下拉列表中", "从下拉列表中选择"),
    "invalid-email": Code(ERROR, "电子邮箱格式不对", "填写完整的邮箱地址，例：ljstsg@163.com"),
    "invalid-phone": Code(ERROR, "电话号码格式不对", "只填数字和连字符，例：0888-5170611"),
    "text-too-long": Code(ERROR, "文字超过单元格允许的长度", "删减文字，或分成几行填写"),
    "control-characters": Code(WARNING, "文字中有看不见的控制字符，已删除", "从其他程序粘贴时选择“只粘贴文本”"),
    "unwritable-characters": Code(
        ERROR,
        "文字中有无法写入报告的字符（如不成对的代理字符 _xD83D_，常见于残缺的表情符号）",
        "删除该字符后重新输入；表情符号请整个重新粘贴",
    ),
    "not-finite": Code(ERROR, "单元格的值是 NaN 或无穷大，不是可用的数字", "重新输入实际的数字"),
    "line-break": Code(
        ERROR, "封面的一项中有换行（邮件标题、文件名都用到封面各项）", "删除换行（Alt+Enter），写成一行"
    ),
    "invalid-value": Code(ERROR, "内容不符合要求", "按单元格的填写说明修改"),
    # A whole file, in a folder's results (validate/render/summary of a folder)
    "unreadable": Code(
        ERROR,
        "文件无法作为年报工作簿读取（不存在、Numbers、CSV 等其他格式、损坏、加密等）",
        "按提示另存为 .xlsx 或换成正确的文件",
    ),
    "internal-error": Code(ERROR, "处理这个文件时工具本身出错", "把该工作簿和提示发给技术支持；其他文件不受影响"),
    "not-a-workbook": Code(
        WARNING,
        "文件夹中的这个文件不是工作簿（Word 文档、PDF 等），没有检查",
        "确认它不是哪个馆报送的工作簿；是的话，请另存为 .xlsx",
    ),
    "format-values-only": Code(
        WARNING,
        "工作簿是 .xls、.et、.xlsb 或 .ods 格式：只读取了单元格的值，粘贴的图片和公式无法检查",
        "在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后再检查",
    ),
    "read-values-only": Code(
        WARNING,
        "工作簿中有本工具读不懂的部分（如数据透视表、新版 Excel 的扩展格式），只读取了单元格的值：公式无法检查",
        "在 Excel 或 WPS 中打开后重新保存；仍有此提示可忽略",
    ),
    "resubmitted": Code(
        WARNING,
        "同一馆同一年度有两份工作簿（如改正后重新报送）：汇总采用较新的一份",
        "确认较新的一份是正确的，把旧的移出文件夹",
    ),
    "file-aborted": Code(
        ERROR,
        "处理这个文件的进程意外终止、超时或内存超过上限（文件异常或过大）",
        "用 Excel 或 WPS 打开后重新保存；仍不行请发给技术支持。其他文件不受影响",
    ),
    # A submission to an office's collection (serve --collect)
    "wrong-library": Code(
        ERROR,
        "报送到收集中的工作簿，封面的馆名与报送码所属的馆不同",
        "在封面填写本馆的名称（与收报单位名单中的一致），或用本馆自己的报送码提交",
    ),
    "wrong-year": Code(ERROR, "报送到收集中的工作簿，报告年度不是本次收集的年度", "换成本次收集的年度的工作簿，或改正封面的年度"),
    # Pictures
    "picture-missing": Code(
        ERROR, "“图片”表的一行既没有粘贴图片，也找不到所填的图片文件", "把图片粘贴到这一行，或改正文件路径"
    ),
    "picture-not-pasted": Code(
        ERROR,
        "网页版只使用粘贴在工作簿中的图片，不读取“文件”一列所填的图片文件",
        "把图片直接粘贴到“图片”表的这一行，或改用命令行生成",
    ),
    "picture-unreadable": Code(ERROR, "图片文件已损坏或不是图片", "在看图软件中打开并另存为 PNG 或 JPG 后重新填写"),
    "picture-outside-folder": Code(
        ERROR,
        "图片文件不在工作簿所在的文件夹（或其子文件夹）中",
        "把图片复制到工作簿旁边，填写相对路径，或直接粘贴图片",
    ),
    "picture-too-large": Code(
        ERROR,
        f"图片文件或像素太多（上限 {limits.PICTURE_BYTES // limits.MB} MB、{limits.PICTURE_PIXELS // 10_000} 万像素）",
        "在看图软件中缩小后另存为 JPG",
    ),
    # Consistency
    "parts-exceed-total": Code(
        ERROR, "分项之和超过合计（如新增藏量各来源之和大于新增藏量）", "核对分项和合计，改正其中错的一个"
    ),
    "staff-mismatch": Code(ERROR, "按职称合计、按学历合计与在职人数不一致", "核对“人员”表，使各合计都等于在职人数"),
    "loans-exceed-visits": Code(
        WARNING,
        "外借人次多于进馆人次（真实数据可能如此：在分馆、自助借还机借书的读者不计进馆）",
        "核对两个数字的统计口径；确实如此时可保留，并在“口径”列注明",
    ),
    "projects-total-mismatch": Code(ERROR, "项目经费合计不等于“项目”表各项金额之和", "改正合计或各项目金额"),
    "date-out-of-year": Code(ERROR, "报告日期不在报告年度或其下一年", "改为本次报告的日期"),
    "no-report-date": Code(
        WARNING, "没有填写报告日期：报告末尾署名下的成文日期空着", "在“封面”填写报告日期（例：2020-12-31）"
    ),
    "duplicate-row": Code(ERROR, "同一部门或同一人重复出现", "删除重复的一行"),
    "heading-no-title": Code(ERROR, "标题行没有标题文字", "填写标题；只有一段文字时级别选“正文”"),
    "unknown-insert": Code(ERROR, "“在此插入”填了不认识的表格名称", "从下拉列表中选择"),
    "insert-needs-branches": Code(
        ERROR, "“在此插入”的表格要用各分馆的工作簿生成", "生成时加 --branches 分馆文件夹（见 README“总馆和分馆”）"
    ),
    "insert-no-data": Code(ERROR, "“在此插入”指定的表格没有数据", "在对应工作表填写数据，或清空这一格"),
    "chart-too-small": Code(
        WARNING,
        "“在此插入”的图表不足三类数字（或不足两组、每组两类），一句话就能说清：报告中印成一句话，不画图",
        "数据确实只有这些时可忽略；要画图，在对应工作表补齐数据，或改插入表格",
    ),
    "sheet-not-inserted": Code(
        WARNING,
        "一张工作表（或一张图片）填写了内容，但正文的“在此插入”没有选择它，报告中不会出现",
        "在“正文”相应一行的“在此插入”选择提示中的名称；确实不需要印出就清空它",
    ),
    "yoy-change": Code(
        WARNING,
        f"与上年相比变化超过 ±{YOY_THRESHOLD}%（上年数不少于 {YOY_MIN_BASE} 时）",
        "核对数据；确有原因（如疫情闭馆）可忽略",
    ),
    "same-as-last-year": Code(WARNING, "与上年数字完全相同，可能沿用了上年数据", "核对本年数据"),
    "recommended-empty": Code(WARNING, "年报通常要报的数据没有填写", "填写；本馆确实没有统计可忽略"),
    "stale-year": Code(WARNING, "正文中出现报告年度及相邻年份以外的年份，可能是旧年报遗留", "核对正文中的年份"),
    "text-contradicts-figure": Code(WARNING, "正文中写的数字与“主要数据”表不一致", "改正正文或数据表，使两者一致"),
    # A 总馆 with its branches (render/validate --branches)
    "branch-none": Code(ERROR, "分馆文件夹中没有工作簿", "把各分馆填好的工作簿放进这个文件夹"),
    "branch-unreadable": Code(ERROR, "分馆的文件无法作为工作簿读取", "按提示另存为 .xlsx，或从文件夹中移走"),
    "branch-has-errors": Code(ERROR, "分馆的工作簿有错误", "先用 validate 检查该分馆的工作簿并改正"),
    "branch-other-year": Code(ERROR, "分馆的报告年度与总馆不同", "换成本年度的分馆工作簿，或改正年度"),
    "branch-is-head": Code(ERROR, "分馆文件夹中放了总馆自己的工作簿", "把总馆的工作簿移出分馆文件夹"),
    "branch-duplicate": Code(ERROR, "同一个分馆有两份工作簿", "只保留一份（删除旧的）"),
    "branch-not-listed": Code(
        WARNING, "分馆的工作簿不在总馆列出的分馆名单中", "核对分馆名称，或把它补进封面的“所辖分馆”"
    ),
    "branch-missing": Code(ERROR, "总馆列出的分馆没有工作簿", "把该分馆的工作簿放进分馆文件夹，或从名单中删除"),
    "network-total-mismatch": Code(
        ERROR,
        "总馆在“全馆（总馆填）”列填写的全馆数不等于总馆与各分馆之和（加 --branches 时核对），或少于总馆自己的本年数",
        "改正全馆数，或核对总馆和各分馆的数据；也可以不填全馆数，由工具按各分馆的工作簿算出",
    ),
    # The Word template (check-template)
    "template-syntax": Code(ERROR, "Word 模板中的 Jinja 标记有语法错误", "按提示改正模板中该段落的标记"),
    "template-unknown-variable": Code(
        ERROR, "Word 模板使用了 schema 中没有的变量（多为拼写错误）", "改正变量名，或在 schema.json 中增加该字段"
    ),
    "template-unused-field": Code(WARNING, "schema 中的字段没有在 Word 模板中用到", "如需在报告中出现，把它加入模板"),
    "template-missing-style": Code(
        ERROR,
        "Word 模板缺少工具要用的样式（标题、目录、题注、图的位置），报告无法正确生成",
        "在 Word 中用“样式 → 管理样式 → 导入/导出”从自带的模板（python fill.py template --word）复制该样式",
    ),
    "template-missing-block": Code(
        WARNING,
        "Word 模板中没有放置某个可插入项（表格、图表）的位置，工作簿插入它时报告中不会出现",
        "从自带的模板（python fill.py template --word）复制这一项的段落和表格到本模板",
    ),
}

# Every message a problem can carry, by code, or by code/variant where one code has several sentences.
MESSAGES: dict[str, str] = {
    "sheet-missing": "缺少工作表「{label}」{extra}",
    "sheet-unknown": "工作表「{sheet}」不是模板中的工作表，其中的内容不会写入报告",
    "label-missing": "找不到项目「{label}」所在的行，请从空白模板复制原来的标签",
    "rows-missing": "没有 {value} 个选填项目的行（{label}），按未填写处理；工作簿可能是用旧版模板制作的，要填写这些项目请从空白模板复制这些行",
    "column-missing": "找不到表头「{label}」所在的列，请把第 1 行改回模板的样子",
    "merged-cells": "{value} 是合并单元格，只能读到左上角的内容，请取消合并",
    "required": "「{label}」必须填写",
    "not-a-number": "「{label}」应为数字，现在是“{value}”，请只填阿拉伯数字",
    "not-an-integer": "「{label}」应为整数，现在是 {value}",
    "negative": "「{label}」不能是负数，现在是 {value}",
    "too-large": "「{label}」的数字 {value} 过大，请检查",
    "number-as-text": "「{label}」的“{value}”是文本形式的数字，已按 {extra} 读取",
    "formula-no-value": "「{label}」是公式 {value}，但没有计算结果，请在 Excel 或 WPS 中打开并保存一次",
    "not-a-date": "「{label}」的“{value}”不是可识别的日期，请按 2020-12-31 的样式填写",
    "date-as-text": "「{label}」的“{value}”是文本形式的日期，已按 {extra} 读取",
    "date-as-number": "「{label}」的 {value} 是数字形式的日期，已按 {extra} 读取",
    "not-in-list": "「{label}」的“{value}”不在可选范围内，请从下拉列表选择（{extra}）",
    "invalid-email": "「{label}」的“{value}”不是有效的电子邮箱",
    "invalid-phone": "「{label}」的“{value}”不是有效的电话号码",
    "text-too-long": "「{label}」的文字有 {value} 个字，超过上限 {extra} 个字",
    "control-characters": "「{label}」中有看不见的控制字符（{value}），已删除",
    "unwritable-characters": "「{label}」中有无法写入报告的字符（{value}），请删除后重新输入（表情符号请整个重新粘贴）",
    "not-finite": "「{label}」的值 {value} 不是可用的数字（NaN 或无穷大），请重新输入",
    "line-break": "「{label}」中不能有换行，请删除换行（Alt+Enter），写成一行",
    "invalid-value": "「{label}」的“{value}”不符合要求：{extra}",
    "picture-missing": "{value}：请把图片粘贴到这一行，或在「{label}」中填写图片文件的路径（相对于工作簿所在的文件夹）",
    "picture-missing/values-only": "{value}：这种格式的工作簿中粘贴的图片读不出来，请把工作簿另存为 .xlsx，"
    "或在「{label}」中填写图片文件的路径（相对于工作簿所在的文件夹）",
    "picture-not-pasted": "「{label}」填的是图片文件“{value}”，网页版只能使用粘贴在工作簿中的图片：请把这张图片直接粘贴到这一行后重新上传",
    "picture-unreadable": "{value} 无法作为图片读取（文件已损坏或不是图片），请另存为 PNG 或 JPG 后重新填写",
    "unreadable": "{value}",  # the reader's own message, which names the file and what to do
    "internal-error": "{value}：处理时工具本身出错（这是工具的缺陷，不是文件的问题），请把该文件发给技术支持；其他文件不受影响",
    "internal-error/command": "处理 {value} 时工具本身出错（这是工具的缺陷，不是文件的问题）：请在命令前加 --debug 重新运行"
    "（{program} --debug …），并把输出发给维护人员",
    "not-a-workbook": "{value}",  # why the file was not checked, naming it
    "format-values-only": "{value} 是 {extra}：已读取各单元格的值，但其中粘贴的图片读不出来，公式是否有计算结果也无法检查。"
    "请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后再检查",
    "read-values-only": "{value} 中有本工具读不懂的部分（如数据透视表或新版 Excel 的扩展格式），已改为只读取各单元格的值，"
    "公式是否有计算结果无法检查；如需完整检查，请在 Excel 或 WPS 中打开后重新保存",
    "parts-exceed-total": "{column}{parts}合计 {value} 超过「{label}」{total}，请核对",
    "staff-mismatch/senior": "高级职称 {senior} 不等于正高级 {full} 加副高级 {associate}，请核对",
    "staff-mismatch/fewer": "「{label}」{value} 少于{breakdown} {total}，请核对",
    "staff-mismatch/more": "「{label}」{value} 多于{breakdown} {total}，请核对",
    "staff-mismatch/breakdowns": "按职称合计 {titles} 与按学历合计 {education} 不相等，请核对",
    "loans-exceed-visits": "{column}外借人次 {loans} 多于进馆人次 {visits}，请核对两者的统计口径（在分馆、自助借还机借书的读者是否计入了进馆人次）；确实如此时可保留，并在“口径”列注明",
    "projects-total-mismatch": "项目经费合计填的是 {value} 万元，但“项目”表各项金额之和是 {total} 万元，请核对",
    "date-out-of-year": "报告日期 {value} 不在报告年度 {year} 或其下一年内，可能是沿用了旧年报的日期",
    "no-report-date": "「{label}」没有填写：报告末尾署名下面的成文日期将空着，请填写报告日期，例：2020-12-31",
    "picture-outside-folder": "“{value}”不在工作簿所在的文件夹中：只能使用与工作簿放在同一文件夹（或其子文件夹）里的图片，"
    "请把图片复制过来后填写相对路径，或直接粘贴图片",
    "picture-too-large": "{value} 太大（{extra}），请在看图软件中缩小后另存为 JPG",
    "resubmitted": "{older} 与 {newer} 是同一馆同一年度（{library} {year} 年）的工作簿：汇总采用较新的 {newer}，{older} 未计入",
    "file-aborted/timeout": "{value}：处理超过 {seconds} 秒仍未完成，已停止（文件可能异常或过大）；其他文件不受影响",
    "file-aborted/died": "{value}：处理这个文件的进程意外终止（文件可能异常，或所需内存超过上限），已跳过；其他文件不受影响。请用 Excel 或 WPS 打开后重新保存，仍不行请把该工作簿发给技术支持",
    "wrong-library": "封面的馆名是“{value}”，而报送码属于“{extra}”：请在封面填写本馆的名称（与收报单位名单中的一致），或用本馆自己的报送码提交",
    "wrong-year": "报告年度是 {value}，本次收集的是 {extra} 年度：请换成 {extra} 年度的工作簿，或改正封面的年度",
    "file-aborted/memory": "{value}：处理这个文件所需的内存超过上限，已跳过；其他文件不受影响",
    "duplicate-row": "“{value}”重复出现，请删除重复的一行",
    "heading-no-title": "级别为“{value}”的标题没有填写标题文字；只有一段文字时，级别请选“正文”",
    "unknown-insert": "“{value}”不是可插入的表格名称，请从下拉列表选择（{extra}）",
    "insert-needs-branches": "“{value}”由各分馆的工作簿生成：请加 --branches 给出分馆工作簿所在的文件夹，例如 {program} render 总馆.xlsx --branches 分馆/",
    "insert-no-data": "要在这里插入“{value}”，但对应的工作表没有数据，请填写数据或清空这一格",
    "chart-too-small": "「{value}」只有 {extra}，一句话就能说清：报告中在这里印成一句话，不画图",
    "sheet-not-inserted": "{value}已填写，但正文中没有插入，报告里不会出现；要印出，在“正文”相应一行的“在此插入”填写{extra}",
    "yoy-change": "「{label}」与上年相比变化较大（{extra}），请核对",
    "same-as-last-year": "「{label}」与上年完全相同，可能沿用了上年数据，请核对",
    "recommended-empty": "「{label}」没有填写；年报通常要报这项数据，本馆确实没有统计可忽略",
    "stale-year": "正文提到 {value} 年（“…{extra}…”），不是报告年度 {year} 或相邻年份，可能是旧年报遗留，请核对",
    "text-contradicts-figure": "{extra}（「{label}」），请核对",
    "branch-none": "文件夹 {value} 中没有分馆的工作簿（.xlsx）",
    "branch-unreadable": "{value}",
    "branch-has-errors": "分馆工作簿有 {value} 个错误，第一个是 {extra}；请先改正（{program} validate {file}）",
    "branch-other-year": "分馆的报告年度是 {value}，总馆是 {extra}，请换成同一年度的工作簿",
    "branch-is-head": "这是总馆自己的工作簿（“{value}”），请移出分馆文件夹",
    "branch-duplicate": "分馆“{value}”有两份工作簿（另一份：{extra}），请只保留一份",
    "branch-not-listed": "分馆“{value}”不在总馆列出的分馆名单（{extra}）中，请核对名称或补入名单",
    "branch-missing": "总馆列出的分馆“{value}”没有工作簿，请把它放进分馆文件夹",
    "network-total-mismatch/sum": "总馆填写的全馆「{label}」是 {value}，但{summed}之和是 {extra}，请改正全馆数，或核对总馆和各分馆的数据",
    "network-total-mismatch/unchecked": "总馆填写的全馆「{label}」是 {value}，但总馆和各分馆都没有填这一项的本年数，无法核对；请填写各馆的本年数，或不填全馆数",
    "network-total-mismatch/below-own": "总馆填写的全馆「{label}」是 {value}，少于总馆自己的本年数 {extra}；全馆数包括总馆和各分馆，不会少于总馆自己的数，请核对",
    "template-syntax": "Jinja 标记有语法错误：{value}（该段内容：“{extra}”）",
    "template-unknown-variable": "使用了 schema 中没有的变量 {value}，可能是拼写错误",
    "template-unused-field": "字段「{label}」（{value}）在模板中没有用到",
    "template-missing-style": "模板缺少样式「{value}」（{extra}），请从自带的模板复制这个样式（样式 → 管理样式 → 导入/导出）",
    "template-missing-block": "模板中没有放置「{value}」的位置（block.kind == \"{extra}\"），插入它的工作簿在报告中不会印出它",
}



@dataclass(frozen=True)
class Problem:
    """One thing wrong with a workbook, located by sheet and cell."""

    sheet: str
    cell: str
    field: str
    code: str
    severity: str
    message: str

    @property
    def location(self) -> str:
        """Where to look, as Excel writes it: 工作表!单元格."""
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet


def problem(
    code: str, sheet: str, cell: str = "", field: str = "", *, where: str = "", variant: str = "", **values
) -> Problem:
    """A problem whose message is the catalogue's (code/variant) entry; `where` names several cells."""
    text = MESSAGES[f"{code}/{variant}" if variant else code]
    text = text.format(**{"label": "", "value": "", "extra": "", "sheet": sheet, "program": program(), **values})
    where = where or (f"{sheet}!{cell}" if cell else sheet)
    return Problem(sheet, cell, field, code, CODES[code].severity, f"{where}：{text}" if where else text)


def plain_number(value: float) -> str:
    """A number as a message shows it: as the workbook holds it, in plain digits (1234567, 12.345; never 1.2e+06)."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:f}".rstrip("0").rstrip(".")
    return str(int(value))


def restored(record: dict) -> Problem:
    """A problem stored as a record (its dataclass fields), as it was found."""
    return Problem(**record)


def sort_key(item: Problem, sheet_order: list[str]) -> tuple:
    """Sheet order first, then row, then column, as a reader scans the workbook."""
    sheet_rank = sheet_order.index(item.sheet) if item.sheet in sheet_order else len(sheet_order)
    return (sheet_rank, *sort_position(item.cell.split(",")[0].split("!")[-1].strip()), item.code)


class ProblemCounts:
    """The counts of errors and warnings of a record that holds its problems (a file's result, a submission)."""

    problems: tuple[Problem, ...]

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == ERROR)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


@dataclass(frozen=True)
class ValidationResult:
    """All problems of one workbook."""

    problems: tuple[Problem, ...]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def blocks(self, strict: bool = False) -> bool:
        """Whether rendering must be refused (with --strict, warnings block too)."""
        return bool(self.errors or (strict and self.warnings))

    def to_dict(self, strict: bool = False) -> dict:
        """The JSON reporter's output."""
        return {"valid": not self.blocks(strict), "problems": [asdict(p) for p in self.problems]}
