"""Why a command stops: the catalogue of the messages its exceptions carry, by a stable code.

Each message names what it is about (the file, folder, sheet or cell) and says what to do; {program} is how the
user started this tool. The problems found in a workbook are core.problems'; files refused before any of them is
read, core.refusals'.
"""

from __future__ import annotations

import errno
import socket

from annual_report.core.program import program

MESSAGES: dict[str, str] = {
    # Writing what a command makes
    "install-incomplete": "找不到 {file}：本工具的安装不完整，请按 README 重新安装",
    "output-is-folder": "{file} 是一个文件夹，请给出要生成的文件名",
    "output-exists": "{file} 已经存在，未覆盖。如需覆盖请加 --force，或用 -o 指定新的文件名",
    "output-open-in-word": "{file} 正在 Word 或 WPS 中打开，请先关闭它再生成",
    "output-folder-unwritable": "无法在 {folder} 中写文件：{reason}",
    "output-unwritable": "无法写入 {file}：{reason}",
    "folder-not-found": "找不到文件夹：{folder}",
    "output-not-docx": "{file} 不是 .docx 文件名，不能写在这里（输入的工作簿从不被改动），请用 -o 给出 .docx 文件名",
    "summary-would-overwrite": "{file} 不是本工具生成的汇总工作簿（可能是报送上来的工作簿），即使加了 --force 也不会覆盖它，请用 -o 另给一个文件名",
    "template-from-itself": "{file} 是上一年的工作簿本身，不能覆盖它，请用 -o 指定新的文件名",
    "import-onto-itself": "{file} 是要导入的文件本身，不能覆盖它，请用 -o 指定新的文件名",
    "import-no-text": "{name} 中没有正文（只有空段落、图片或表格），没有生成工作簿。请确认选对了文件",
    # The command line: what a command was given
    "collect-open-needs": "请用 --year 给出年度，用 --libraries 给出应报送的图书馆名单",
    "collect-add-needs": "请用 --libraries 给出图书馆名单（其中还没有的馆会加入收集）",
    "collect-renew-needs": "请用 --renew 馆名 指定要换码的馆，或用 --office 换管理码",
    "collect-no-such-library": "收集中没有“{name}”这个馆（名称见汇总看板）",
    "folder-no-workbooks": "文件夹 {folder} 中（含子文件夹）没有找到 Excel 工作簿（.xlsx）",
    "render-needs-layout": "{flag} 需要用 LibreOffice 排版，不能与 --no-layout 同时使用",
    "render-branches-one-workbook": "--branches 和 --trace 只用于一个工作簿（总馆的工作簿），不能用于文件夹",
    "render-output-not-folder": "处理文件夹时，-o 应当是保存报告的文件夹，而不是文件：{folder}",
    "send-needs-report": "请给出要发送的报告（.docx）或工作簿（.xlsx）",
    "send-needs-recipient": "请用 --to 指定收件人（可以写多个 --to），或用 --eml 只写成草稿",
    "send-setup-not-saved": "设置没有保存",
    "serve-collect-no-access-code": "--collect 时各馆用报送码、收报单位用管理码登录，不再用 --access-code",
    "summary-not-folder": "{folder} 不是文件夹：请给出存放各馆工作簿的文件夹",
    "template-one-source": "--from、--from-docx 和 --word 只能选一个",
    "template-word-suffix": "Word 模板的文件名应以 .docx 结尾：{file}",
    "validate-branches-one-workbook": "--branches 只用于一个工作簿（总馆的工作簿），不能用于文件夹",
    # The Word template
    "template-not-found": "找不到 Word 模板：{file}",
    "template-has-errors": "Word 模板有错误，请运行 {program} check-template 查看：{errors}",
    "template-undefined": "Word 模板使用了未定义的内容：{detail}",
    "template-failed": "Word 模板无法生成：模板中 {{{{ }}}} 或 {{% %}} 的写法在生成时出错，请运行 {program} check-template 检查模板"
                       "（在命令前加 --debug 可看到 Jinja2 的原文）",
    "template-not-docx": "无法打开 Word 模板 {file}：它不是有效的 .docx 文件",
    # Laying out with LibreOffice
    "layout-interrupted": "排版已中断",
    "layout-no-libreoffice": "没有找到 LibreOffice，无法生成 PDF 和计算目录页码。"
    "请安装 LibreOffice（https://zh-cn.libreoffice.org/），或不加 --pdf 只生成 Word 文件",
    "layout-no-uno": "找到了 LibreOffice（{soffice}），但缺少它的 Python 组件（Debian/Ubuntu：python3-uno）",
    "layout-timeout": "LibreOffice 在 {seconds} 秒内没有完成排版，已停止",
    "layout-refused": "LibreOffice 无法排版这份文档",  # what LibreOffice said is kept out (LayoutError.detail)
    "layout-no-start": "无法启动 LibreOffice（{soffice}）：{reason}",
    "layout-died": "LibreOffice 意外退出，无法排版",
    # Sending by e-mail
    "address-line-break": "{what}“{name}”中有换行或控制字符，不能放进邮件头，邮件没有发出",
    "address-invalid": "“{address}”不是有效的邮件地址，应写成 a@b.cn 或 张三 <a@b.cn>",
    "address-bad-characters": "“{address}”不是有效的邮件地址（只能由英文字母、数字和 . _ - + 等组成，例：wlj@example.com）",
    "address-name-too-long": "收件人名称“{name}…”太长（最多 {limit} 个字）",
    "attachment-missing": "找不到要附加的文件 {file}，邮件没有发出",
    "attachment-unreadable": "无法读取要附加的文件 {file}（{reason}），邮件没有发出",
    "send-wrong-kind": "{file}：只能发送 Word 报告（.docx），或先生成报告的工作簿（.xlsx）",
    "send-no-report": "找不到报告 {file}，邮件没有发出。请先运行 {program} render <工作簿> 生成报告",
    "send-not-docx": "{file} 不是有效的 Word 文档（.docx），邮件没有发出",
    "send-no-pdf": "找不到 {name}（与报告同名的 PDF），邮件没有发出。请先运行 {program} render <工作簿> --pdf 生成 PDF，或去掉 --pdf",
    "send-no-password": "没有 {user} 的授权码：请运行 {program} send --setup 保存，或设置环境变量 {variable}",
    "send-stale-report": "{file} {state}，邮件没有发出。请加 --force 按工作簿重新生成{name}后发送，或直接发送 .docx 文件",
    "settings-broken": "发送设置 {file} 已损坏，请重新运行 {program} send --setup",
    "settings-bad-security": "加密方式“{security}”不正确，只能是 ssl、starttls 或 none",
    "settings-bad-port": "端口 {port} 不正确，应在 1–65535 之间（SSL 一般用 465，STARTTLS 用 587）",
    "settings-bad-timeout": "超时秒数应大于 0",
    "settings-no-ca-file": "找不到根证书文件 {file}（--ca-file），请给出 .pem 或 .crt 文件的路径",
    "settings-no-server": "还没有设置发件服务器：请先运行 {program} send --setup，或用 --server 指定",
    "settings-no-sender": "还没有设置发件人地址：请先运行 {program} send --setup，或用 --sender 指定",
    "settings-bad-sender": "发件人地址“{sender}”不正确，应为邮箱地址，例：lib@qq.com（--sender）",
    "settings-unreadable": "无法读取发送设置 {file}：{reason}",
    "settings-folder-unwritable": "无法在 {folder} 中保存发送设置：{reason}",
    "settings-unwritable": "无法保存发送设置 {file}：{reason}",
    "settings-not-a-number": "{label}“{value}”不是数字",
    # What the mail server said (mail/message.py's explain)
    "smtp-too-large": "邮件太大：{size}，超过了发件服务器 {server}允许的 {limit}（普通附件一般不能超过 50 MB），"
    "邮件没有发出。请压缩报告中的图片，或去掉 --pdf 后重试",
    "smtp-login-refused": "发件服务器 {server}拒绝登录（用户 {user}）：用户名或授权码不正确，邮件没有发出。"
    "QQ 邮箱、网易邮箱要填在网页版邮箱“设置”中开启 SMTP 服务后得到的授权码，而不是登录密码；"
    "可运行 {program} send --setup 重新设置",
    "smtp-others-unsent": "其余收件人（{names}）也都没有收到，",
    "smtp-recipients-refused": "收件人被服务器拒绝：{refused}。{rest}邮件没有发出。请核对收件人地址后重试",
    "smtp-refused-as-too-large": "邮件太大，发件服务器 {server}拒绝接收（{reply}），邮件没有发出。"
    "普通附件一般不能超过 50 MB；请压缩报告中的图片，或去掉 --pdf 后重试",
    "smtp-sender-refused": "发件服务器 {server}拒绝发件人 {sender}（{reply}），邮件没有发出。"
    "发件人地址一般要与登录的邮箱相同（--sender）",
    "smtp-data-refused": "发件服务器 {server}拒绝接收这封邮件（{reply}），邮件没有发出",
    "smtp-no-starttls": "发件服务器 {server}不支持 STARTTLS 加密，邮件没有发出。请改用 --security ssl（端口一般为 465）",
    "smtp-no-auth": "发件服务器 {server}不支持登录（AUTH），邮件没有发出。请检查服务器地址和端口",
    "smtp-no-answer": "{seconds:g} 秒没有响应",
    "smtp-connection-broke": "连接中断",
    "smtp-delivery-unknown": "把邮件交给发件服务器 {server}时{what}：服务器可能已经收到并会投递，也可能没有。"
    "请先向收件人确认是否收到，不要急于重发",
    "smtp-timeout": "连接发件服务器 {server}超时（{seconds:g} 秒没有响应），邮件没有发出。请检查网络、服务器地址和端口，或稍后重试",
    "smtp-certificate": "发件服务器 {server}的证书无法验证（{detail}），邮件没有发出。请核对服务器地址",
    "smtp-tls-failed": "与发件服务器 {server}建立加密连接失败（{detail}），邮件没有发出。"
    "请检查端口与加密方式是否相配：SSL 一般用 465，STARTTLS 一般用 587",
    "smtp-server-unknown": "找不到发件服务器 {host}，邮件没有发出。请检查服务器地址拼写和网络连接",
    "smtp-connection-refused": "无法连接发件服务器 {server}：连接被拒绝，邮件没有发出。请检查服务器地址和端口",
    "smtp-disconnected": "发件服务器 {server}中途断开了连接，邮件没有发出。请检查端口与加密方式，或稍后重试",
    "smtp-error": "发件服务器 {server}返回错误（{reply}），邮件没有发出",
    "smtp-no-connection": "无法连接发件服务器 {server}（{reason}），邮件没有发出。请检查网络连接",
    "smtp-failed": "发送失败（{detail}），邮件没有发出",
    # An office's collection of reports and its list of libraries
    "collection-exists": "{folder} 中已经有一个收集（年度见其中的数据库）；要添加馆请用 collect add",
    "collection-missing": "{folder} 中没有收集：先用 collect open 建立一个（年度、图书馆名单）",
    "backup-not-empty": "{folder} 不是空文件夹：请给备份用一个新的文件夹",
    "backup-unwritable": "无法写备份到 {folder}：{reason}",
    "collection-not-empty": "{folder} 不是空文件夹：请给收集用一个新的文件夹",
    "collection-unusable": "无法使用文件夹 {folder}：{reason}",
    "submission-superseded": "该馆在此期间重新报送了，请查看最新的一份后再确认或退回",
    "submission-has-errors": "这份报送有错误，不能确认；请退回，或等该馆改正后重新报送",
    "collection-in-use": "{folder} 正由另一个网页服务使用：同一个收集只能由一个 serve 提供",
    "database-newer": "数据库的版本（{current}）比本工具认识的（{newest}）新：它是由更新版本的工具写的，请升级本工具后再打开",
    "database-unreadable": "无法打开数据库 {file}：{detail}（文件可能已损坏，请用备份恢复）",
    "list-no-names": "{file} 中没有图书馆名称：第一列（或标题为“馆名”的一列）每行写一个馆名",
    "list-too-many": "{file} 中有 {count} 个馆，超过上限 {limit}",
    "list-not-text": "无法读取名单 {file}：不是 .xlsx，也不是 UTF-8 或 GBK 编码的 CSV 文本",
    "list-not-csv": "无法读取名单 {file}：不是 .xlsx，也不是 CSV 文本",
    "list-too-large": "{file}：名单文件超过 {limit}，不像是图书馆名单",
    "list-unreadable": "无法读取名单 {file}：{reason}",
    "list-name-too-long": "{file} 第 {row} 行：馆名超过 {limit} 个字，请检查",
    "list-duplicate": "{file} 第 {row} 行的“{name}”与第 {first} 行是同一个馆（比较时不计空格、全角半角和大小写），请只保留一行",
    "list-bad-email": "{file} 第 {row} 行：“{email}”不是电子邮箱地址，请改正或清空",
    "list-broken": "无法读取名单 {file}：请在 Excel 或 WPS 中另存为 .xlsx 或 CSV 后重试",
    # The web page
    "access-code-short": "访问码太短：在 {host} 上提供服务时至少 {shortest} 个字符（或写 --access-code {auto} 由工具生成一个）",
    "access-code-empty": "访问码不能为空（或写 --access-code {auto} 由工具生成一个）",
    "web-not-installed": "网页版需要 Flask 和 waitress，尚未安装：请运行 pip install \".[web]\"（或 pip install flask waitress）",
    "serve-no-start": "无法在 {host}:{port} 上启动：{reason}。可以用 --port 换一个端口",
}


def message(code: str, **values) -> str:
    """The catalogue's message for this code, its blanks filled in (raise SomeError(message(code, …)))."""
    return MESSAGES[code].format(program=program(), **values)


# What the system said, in the user's words (strerror is English, or the system's language, on every platform)
_FILE_REASONS = {
    errno.ENOSPC: "磁盘空间不足，请清理磁盘后重试",
    errno.EDQUOT: "磁盘配额已用完，请清理文件或找管理员增加配额",
    errno.EACCES: "没有权限（文件或文件夹只读、正被其他程序打开，或本用户不能访问）",
    errno.EPERM: "没有权限（文件或文件夹只读、正被其他程序打开，或本用户不能访问）",
    errno.EROFS: "磁盘或文件夹是只读的，请换一个文件夹",
    errno.ENOENT: "找不到这个文件或文件夹，请检查路径",
    errno.ENOTDIR: "路径中有一段不是文件夹，请检查路径",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.EEXIST: "同名的文件或文件夹已经存在，请换一个名称",
    errno.ENAMETOOLONG: "文件名或路径太长，请换一个短一些的文件夹",
    errno.EBUSY: "文件正被其他程序使用，请关闭它后重试",
    errno.EMFILE: "同时打开的文件太多，请关闭一些程序后重试",
    errno.EIO: "读写磁盘出错（磁盘或网络盘可能有问题），请换一个位置重试",
    errno.ENOEXEC: "程序文件无法运行（安装可能已损坏），请重新安装",
    errno.EXDEV: "不能在两个磁盘之间改名移动，请把输出放在同一个磁盘上",
    errno.EINVAL: "文件名或路径中有不能使用的字符（如 \\ / : * ? \" < > |），请改名",
}
_NETWORK_REASONS = {
    errno.EACCES: "没有权限使用这个端口或连接（被防火墙、安全软件拦截，或 1024 以下的端口需要管理员权限）",
    errno.EADDRINUSE: "端口已被其他程序占用",
    errno.EADDRNOTAVAIL: "这台电脑上没有这个地址，请检查 --host",
    errno.ECONNREFUSED: "对方拒绝连接（地址或端口不对，或对方的服务没有运行）",
    errno.ECONNRESET: "连接被对方断开，请稍后重试",
    errno.ETIMEDOUT: "连接超时，请检查网络后重试",
    errno.ENETUNREACH: "网络不通，请检查网络连接",
    errno.EHOSTUNREACH: "连不上对方的电脑，请检查网络和地址",
}


def os_reason(exc: OSError, network: bool = False) -> str:
    """Why the system refused, in Chinese, with what to do; network: the error came from a connection or a port.

    An error not listed is named by its number only (the system's own words are for --debug)."""
    if isinstance(exc, socket.gaierror):
        return "找不到这个服务器地址，请检查地址和网络"
    if isinstance(exc, TimeoutError) and exc.errno is None:
        return _NETWORK_REASONS[errno.ETIMEDOUT]
    first, second = (_NETWORK_REASONS, _FILE_REASONS) if network else (_FILE_REASONS, _NETWORK_REASONS)
    known = first.get(exc.errno) or second.get(exc.errno)
    if known:
        return known
    return f"系统报告错误（代码 {exc.errno}）" if exc.errno is not None else "系统报告错误"
