"""CSV downloads that spreadsheets open as meant: UTF-8 with a byte-order mark, formulas defused."""
import csv
import io

from flask import current_app

#: Spreadsheets run cells that start with these as formulas: such a text gets a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defused(value):
    """A text cell a spreadsheet shows as typed and never runs ("" for None)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


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
