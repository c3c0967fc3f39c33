"""The files of the directory's import and export, read as rows and written as JSON or CSV.

JSON and CSV are read into rows that say where each one comes from (file, line), and data is
written back as JSON or CSV. `transfer` validates and writes the rows; this module knows only
the files' shape.
"""
import csv
import json
import os
import re
from dataclasses import dataclass

from portal.spreadsheet import defused, undefused

#: Each kind of record, in import order (references point backwards): its CSV columns (the
#: JSON keys too), and which of them hold lists.
COLUMNS = {
    "organisations": (("uid", "name", "kind", "country", "city", "website", "description", "sectors",
                       "special_guest"), ("sectors",)),
    "people": (("uid", "organisation_uid", "display_name", "job_title", "bio", "topics", "email", "phone",
                "share_profile"), ("topics",)),
    "listings": (("uid", "kind", "organisation_uid", "person_uid", "title", "summary", "description",
                  "keywords", "sectors", "trl", "cooperation", "ipr", "valid_until", "status"),
                 ("keywords", "sectors", "cooperation")),
}
LIST_SEPARATOR = ";"


@dataclass
class Row:
    kind: str  # a key of COLUMNS
    file: str
    location: str  # "line 12" in a CSV file, "listings[12], line 140" in a JSON file
    values: dict


@dataclass
class Problem:
    file: str
    location: str
    reason: str

    def __str__(self):
        return f"{self.file}: {self.location}: {self.reason}"


def rows_from_data(data, source, lines=None):
    """The rows of parsed JSON data, located like `listings[12]` (with `lines`, from
    `item_lines`: `listings[12], line 140`), and what is wrong with its shape."""
    if not isinstance(data, dict):
        return [], [Problem(source, "(top)", "expected an object with lists")]
    rows, problems = [], []
    for key, items in data.items():
        if key not in COLUMNS:
            problems.append(Problem(source, key, f"unknown key (expected {', '.join(COLUMNS)})"))
        elif not isinstance(items, list):
            problems.append(Problem(source, key, "expected a list"))
        else:
            for n, item in enumerate(items):
                line = (lines or {}).get((key, n))
                location = f"{key}[{n}]" + (f", line {line}" if line else "")
                unknown = unknown_columns(key, item) if isinstance(item, dict) else None
                if unknown:
                    problems.append(Problem(source, location, unknown))
                else:
                    rows.append(Row(key, source, location, item))
    return rows, problems


def unknown_columns(kind, names):
    """Why columns (or keys) outside COLUMNS are refused, or None: a misspelt `sector` would
    otherwise be dropped without a word, and its values with it."""
    unknown = [name for name in names if name not in COLUMNS[kind][0]]
    if not unknown:
        return None
    return (f"unknown {'column' if len(unknown) == 1 else 'columns'} {', '.join(map(repr, unknown))} "
            f"(expected {', '.join(COLUMNS[kind][0])})")


_BLANK = re.compile(r"[ \t\n\r]*")


def item_lines(text):
    """{(list name, index): the line its item starts on} for JSON text that `json.loads` has
    read: the top object is walked key by key, every value left to the json module's decoder."""
    decoder, found = json.JSONDecoder(), {}
    line, counted = 1, 0

    def line_at(position):
        nonlocal line, counted
        line, counted = line + text.count("\n", counted, position), position
        return line

    def skip(position, separator=None):
        position = _BLANK.match(text, position).end()
        if separator and text.startswith(separator, position):
            position = _BLANK.match(text, position + 1).end()
        return position

    position = skip(0)
    if not text.startswith("{", position):
        return found
    position = skip(position + 1)
    while not text.startswith("}", position):
        key, position = decoder.raw_decode(text, position)
        position = skip(position, ":")
        if text.startswith("[", position):
            index, position = 0, skip(position + 1)
            while not text.startswith("]", position):
                found[key, index] = line_at(position)
                position = skip(decoder.raw_decode(text, position)[1], ",")
                index += 1
            position += 1
        else:
            position = decoder.raw_decode(text, position)[1]
        position = skip(position, ",")
    return found


def read_path(path):
    """Rows (and problems) from a JSON file, a CSV file named after its type, or a folder of CSV files."""
    if os.path.isdir(path):
        rows, problems = [], []
        names = [kind for kind in COLUMNS if os.path.exists(os.path.join(path, kind + ".csv"))]
        if not names:
            return [], [Problem(path, "(folder)", "no organisations.csv, people.csv or listings.csv")]
        for kind in names:
            found, trouble = read_csv(os.path.join(path, kind + ".csv"), kind)
            rows, problems = rows + found, problems + trouble
        return rows, problems
    stem, extension = os.path.splitext(os.path.basename(path))
    if extension.lower() == ".csv":
        if stem not in COLUMNS:
            return [], [Problem(path, "(file)", f"a CSV file is named after its type: {', '.join(COLUMNS)}")]
        return read_csv(path, stem)
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        return [], [Problem(os.path.basename(path), "(file)", f"not valid JSON: {error}")]
    except RecursionError:
        return [], [Problem(os.path.basename(path), "(file)", "not valid JSON: nested too deeply")]
    return rows_from_data(data, os.path.basename(path), item_lines(text))


def read_csv(path, kind):
    """(rows, problems) of one CSV file; a file that cannot be read is one problem."""
    name = os.path.basename(path)
    try:
        delimiter = csv_delimiter(path, kind)
        if delimiter is None:
            return [], [Problem(name, "line 1", f"no known column (expected {', '.join(COLUMNS[kind][0])})")]
        return _read_csv(path, kind, delimiter)
    except UnicodeDecodeError as error:
        return [], [Problem(name, "(file)", f"not UTF-8 text (byte {error.start}): save it as CSV UTF-8")]
    except csv.Error as error:
        return [], [Problem(name, "(file)", f"not valid CSV: {error}")]


def csv_delimiter(path, kind):
    """The file's cell separator: "," or ";" (a spreadsheet set to French saves its CSV with
    semicolons), the one that reads known columns in the header; None when neither does."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        first = handle.readline()
    for delimiter in (",", ";"):
        if set(next(csv.reader([first], delimiter=delimiter), ())) & set(COLUMNS[kind][0]):
            return delimiter
    return None


def _read_csv(path, kind, delimiter=","):
    """(rows, problems) of one CSV file: lists split on ";", empty cells left to the schema's
    defaults. A row with more or fewer cells than the header (a file cut short, a quote
    misplaced) is a problem, not a row whose missing cells take defaults; a quoted cell left
    open at the end of the file makes the whole file invalid (csv.Error, strict)."""
    list_columns = COLUMNS[kind][1]
    rows, problems, name = [], [], os.path.basename(path)
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter, strict=True)
        width = len(reader.fieldnames)  # reads the header line, so that the first row is named line 2
        unknown = unknown_columns(kind, reader.fieldnames)
        if unknown:
            return [], [Problem(name, "line 1", unknown)]
        line = reader.line_num + 1
        for record in reader:
            cells = width + len(record[None]) if None in record else sum(v is not None for v in record.values())
            if cells != width:
                problems.append(Problem(name, f"line {line}", f"{cells} cells where the header has {width}: "
                                                              "a row cut short or a misplaced quote"))
                line = reader.line_num + 1
                continue
            values = {}
            for column, cell in record.items():
                if cell.strip() == "":
                    continue
                cell = undefused(cell)
                values[column] = ([item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip()]
                                  if column in list_columns else cell)
            rows.append(Row(kind, name, f"line {line}", values))
            line = reader.line_num + 1
    return rows, problems


def _open_private(path, **kwargs):
    """A file for its owner only: an export holds members' e-mail addresses and phone numbers."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)  # an earlier export of the same name would keep its mode
    return open(descriptor, "w", encoding="utf-8", **kwargs)


def write_json(data, directory):
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "directory.json")
    with _open_private(path) as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
    return [path]


def write_csv(data, directory):
    os.makedirs(directory, exist_ok=True)
    paths = []
    for kind, (columns, list_columns) in COLUMNS.items():
        path = os.path.join(directory, kind + ".csv")
        with _open_private(path, newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            for item in data.get(kind, []):
                writer.writerow({column: _cell(item.get(column), column in list_columns) for column in columns})
        paths.append(path)
    return paths


def _cell(value, is_list):
    """A CSV cell: texts defused (members write them; organisers open exports in spreadsheets)."""
    if is_list:
        return defused(LIST_SEPARATOR.join(value or []))
    if isinstance(value, bool):
        return "true" if value else "false"
    return defused(value) if isinstance(value, str) else ("" if value is None else value)
