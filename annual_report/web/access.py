"""Signing in with a code (the page's access code, a library's code or the office's) and out again."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for

from annual_report.web.gate import LIBRARY, OFFICE, Refusal
from annual_report.web.shared import refusal_response, server_of, sign_in_session, visitor

blueprint = Blueprint("access", __name__)


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    state = server_of()
    if request.method == "GET":
        return render_template("login.html")
    found = state.gate.sign_in(request.form.get("code"), request.remote_addr or "")
    if isinstance(found, Refusal):
        if found.status == 429:
            return refusal_response(found)
        return render_template("login.html", wrong=found.message), found.status
    sign_in_session(found)
    return redirect(home_of(found.role))


@blueprint.post("/logout")
def logout():
    who = visitor()
    server_of().log.write(request.remote_addr or "", who.library_name, "退出", "成功")
    session.clear()
    return redirect(url_for("access.login"))


def home_of(role: str | None) -> str:
    """Where a visitor goes after signing in."""
    if role == OFFICE:
        return url_for("office.dashboard")
    if role == LIBRARY:
        return url_for("library.home")
    return url_for("pages.index")
