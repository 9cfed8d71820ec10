"""Evaluation and 360 feedback: reading responses, statistics, words and the HTML report.

May import: toolkit.content, toolkit.core.
"""
