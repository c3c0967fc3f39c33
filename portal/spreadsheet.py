"""CSV downloads that spreadsheets open as meant: UTF-8 with a byte-order mark, formulas defused."""
import csv
import io
import re

from flask import current_app

#: Spreadsheets run cells that start with = + - @ (or a tab or carriage return) as formulas:
#: such a text gets a leading quote, and so does one that already starts with quotes before
#: them, so that `undefused` can give every text back exactly.
FORMULA = re.compile(r"'*[=+\-@\t\r]")


def defused(value):
    """A text cell a spreadsheet shows as typed and never runs ("" for None)."""
    text = "" if value is None else str(value)
    return "'" + text if FORMULA.match(text) else text


def undefused(text):
    """The text `defused` was given: a CSV export of ours reads back as it was written."""
    return text[1:] if text.startswith("'") and FORMULA.match(text) else text


def csv_text(rows):
    """Rows (lists of cells) as CSV text. The caller defuses its text cells; numbers stay numbers."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def csv_response(rows, filename):
    """A CSV attachment. Excel reads a file without the BOM as the system's code page: "SantÃ©"."""
    response = current_app.response_class("\ufeff" + csv_text(rows), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"  # names and answers: not for shared caches
    return response
