"""CSV downloads that spreadsheets open as meant.

UTF-8 with a byte-order mark, formulas defused, cells split and numbers written the way the
reader's language expects.
"""
import csv
import io
import re
import unicodedata
from decimal import Decimal
from typing import NamedTuple

from flask import current_app
from flask_babel import get_locale

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


class Convention(NamedTuple):
    """How a spreadsheet set up for a language splits a CSV line and reads a number."""

    delimiter: str
    decimal_point: str


COMMA = Convention(",", ".")
#: A French spreadsheet writes 0,5 and so splits cells on ";": it reads a comma file as one column.
CONVENTIONS = {"fr": Convention(";", ",")}


def convention():
    """The convention of the page's language (the comma one outside a request)."""
    locale = get_locale()
    return CONVENTIONS.get(locale.language, COMMA) if locale else COMMA


def _cell(value, decimal_point):
    if isinstance(value, (float, Decimal)):
        return str(value).replace(".", decimal_point)
    return value


def csv_text(rows, convention=COMMA):
    """Rows (lists of cells) as CSV text. The caller defuses its text cells; numbers (int, float,
    Decimal) stay numbers, written with the convention's decimal point."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=convention.delimiter)
    writer.writerows([_cell(value, convention.decimal_point) for value in row] for row in rows)
    return out.getvalue()


def file_name(*parts):
    """A download's name (without its extension) from its parts ("attendees", a title, a day): plain
    ASCII letters and digits joined by hyphens, safe in a header and on any system ("Santé & co"
    -> "sante-co")."""
    words = []
    for part in parts:
        plain = unicodedata.normalize("NFKD", str(part)).encode("ascii", "ignore").decode()
        words.append(re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60].rstrip("-"))
    return "-".join(word for word in words if word)


def csv_response(rows, filename):
    """A CSV attachment for the reader's spreadsheet. Excel reads a file without the BOM as the
    system's code page: "SantÃ©"."""
    response = current_app.response_class("\ufeff" + csv_text(rows, convention()), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"  # names and answers: not for shared caches
    return response
