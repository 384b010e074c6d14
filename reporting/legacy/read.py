"""Reading an import file: CSV or XLSX bytes → the header and the rows, each row a dict
{column: value} with its line number in the file. Nothing is checked here beyond "can the file be
read at all" (``UnreadableFile``, which ``check`` reports as an error of line 1)."""
import csv
import datetime
import io


class UnreadableFile(Exception):
    """The file cannot be read at all; the message is French and meant for the user."""


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return str(value).strip()


def read_rows(data, name=""):
    """(header, [(line, {column: value})]) from CSV or XLSX bytes; empty rows are left out. Raises
    UnreadableFile when the file cannot be read at all."""
    if data[:2] == b"PK" or name.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)


def _read_csv(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile("le fichier n'est pas encodé en UTF-8. Dans votre tableur, "
                             "enregistrez-le au format « CSV UTF-8 ».") from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = None
    rows = []
    for values in reader:
        if header is None:
            header = [v.strip().lower() for v in values]
            continue
        if not any(v.strip() for v in values):
            continue
        rows.append((reader.line_num, dict(zip(header, [v.strip() for v in values]))))
    return header or [], rows


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — any unreadable file is refused with one message
        raise UnreadableFile("le fichier XLSX ne peut pas être lu (fichier abîmé ou autre format).") from None
    sheet = workbook.worksheets[0]
    header = None
    rows = []
    for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        values = [_cell_text(v) for v in values]
        if header is None:
            header = [str(v).strip().lower() for v in values]
            continue
        if not any(v not in ("", None) for v in values):
            continue
        rows.append((line, dict(zip(header, values))))
    workbook.close()
    return header or [], rows

