"""Sending a report by e-mail: the message, SMTP delivery, settings and the send log.

May import: core, workbook, report, pipeline.
"""
