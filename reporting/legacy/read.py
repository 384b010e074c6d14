"""Reading an import file: CSV or XLSX bytes → the header and the rows, each row a dict
{column: value} with its line number in the file. Nothing is checked here beyond "can the file be
read at all, within the limits" (``UnreadableFile``, which ``check`` reports as an error of its line).

The limits (``IPM_IMPORT_*`` in config/settings.py, docs/import.md) are checked while reading, before
anything is kept: rows, columns, characters per cell; for an XLSX, the decompressed size and the
compression ratio read from the zip directory before the workbook is opened, and the sheet's declared
dimension before its rows are read. A file past a limit is refused whole, with a French message.

A CSV's encoding (``csv_encoding``): UTF-8 (with or without a BOM) or Windows-1252, what a French Excel
writes by default (« CSV (séparateur : point-virgule) »); its separator: ``;`` or ``,``, the one the
header line has more of."""
import codecs
import csv
import datetime
import io
import zipfile

from django.conf import settings


class UnreadableFile(Exception):
    """The file cannot be read at all; the message is French and meant for the user. ``line``: the line
    of the file the reading stopped at (1 for the file as a whole)."""

    def __init__(self, message, line=1):
        super().__init__(message)
        self.line = line


def _number(n):
    return f"{n:,}".replace(",", " ")


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


class _Limits:
    """The limits of one reading, each refusal a French message."""

    def __init__(self):
        self.rows = settings.IPM_IMPORT_MAX_ROWS
        self.columns = settings.IPM_IMPORT_MAX_COLUMNS
        self.cell_chars = settings.IPM_IMPORT_MAX_CELL_CHARS

    def too_many_rows(self, line):
        return UnreadableFile(f"Le fichier dépasse {_number(self.rows)} lignes : découpez-le par année.", line)

    def check_width(self, line, count):
        if count > self.columns:
            raise UnreadableFile(f"la ligne a {_number(count)} colonnes, plus que les {self.columns} acceptées : "
                                 "gardez les colonnes du modèle.", line)

    def check_cells(self, line, header, values):
        for index, value in enumerate(values):
            if isinstance(value, str) and len(value) > self.cell_chars:
                column = header[index] if header and index < len(header) else f"n° {index + 1}"
                raise UnreadableFile(f"la cellule de la colonne « {column} » dépasse {_number(self.cell_chars)} "
                                     "caractères.", line)


UTF8, CP1252 = "UTF-8", "Windows-1252"
_CODECS = {UTF8: "utf-8", CP1252: "cp1252"}


def is_xlsx(data, name=""):
    return data[:2] == b"PK" or name.lower().endswith(".xlsx")


def csv_encoding(data):
    """The encoding a CSV is read in: UTF-8 when it starts with a BOM, or when the whole file is valid
    UTF-8 (a Windows-1252 file with any accent almost never is: « é » is one byte there, never followed by
    the bytes UTF-8 requires); otherwise Windows-1252 — unless a line of the file holds UTF-8 accents
    (valid multi-byte UTF-8): then it is a UTF-8 file with a damaged line, which the reading refuses at that
    line rather than read the rest as Windows-1252 (which would turn every « é » into « Ã© »)."""
    if data.startswith(codecs.BOM_UTF8) or data.isascii():
        return UTF8
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), 1 << 20):
            decoder.decode(data[start:start + (1 << 20)])
        decoder.decode(b"", final=True)
        return UTF8
    except UnicodeDecodeError:
        pass
    for raw in io.BytesIO(data):
        if not raw.isascii():
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                continue
            return UTF8
    return CP1252


def read_rows(data, name="", encoding=None):
    """(header, rows, estimate) from CSV or XLSX bytes (a CSV read in ``encoding``, else in the one
    ``csv_encoding`` finds): ``rows`` yields (line, {column: value}) one at a
    time as the file is read (empty rows left out), ``estimate`` is the expected number of rows (for the
    progress bar). Raises UnreadableFile — at once or while ``rows`` is read — when the file cannot be
    read at all or goes past a limit."""
    reading = _read_xlsx(data) if is_xlsx(data, name) else _read_csv(data, encoding or csv_encoding(data))
    header, estimate = next(reading)
    return header, reading, estimate


def _text_lines(data, encoding=UTF8):
    """The file's lines as text, one at a time; a NUL byte or a line that cannot be read in ``encoding``
    stops the reading with the line's number."""
    codec = _CODECS[encoding]
    for number, raw in enumerate(io.BytesIO(data), start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[3:]
        if b"\x00" in raw:
            raise UnreadableFile("la ligne contient un caractère nul (octet 0) : ce n'est pas un fichier CSV "
                                 "texte. Enregistrez-le au format « CSV UTF-8 ».", number)
        try:
            yield raw.decode(codec)
        except UnicodeDecodeError:
            if encoding == UTF8:
                raise UnreadableFile("la ligne n'est pas en UTF-8 alors que le reste du fichier l'est (caractères "
                                     "abîmés). Dans votre tableur, enregistrez le fichier au format « CSV UTF-8 ».",
                                     number) from None
            raise UnreadableFile("le fichier n'est ni en UTF-8 ni en Windows-1252 (un octet n'y correspond à aucun "
                                 "caractère). Dans votre tableur, enregistrez-le au format « CSV UTF-8 ».",
                                 number) from None


def _read_csv(data, encoding):
    limits = _Limits()
    lines = _text_lines(data, encoding)
    first_line = next(lines, "")
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","

    def all_lines():
        yield first_line
        yield from lines

    reader = csv.reader(all_lines(), delimiter=delimiter)
    records = 0
    try:
        values = next(reader, None)
        if values is None:
            yield [], 0
            return
        limits.check_width(1, len(values))
        limits.check_cells(1, None, values)
        header = [v.strip().lower() for v in values]
        yield header, data.count(b"\n")
        for values in reader:
            line = reader.line_num
            limits.check_width(line, len(values))
            limits.check_cells(line, header, values)
            records += 1
            if records > limits.rows:
                raise limits.too_many_rows(line)
            if not any(v.strip() for v in values):
                continue
            yield line, dict(zip(header, [v.strip() for v in values]))
    except csv.Error as error:
        raise UnreadableFile(f"le fichier CSV ne peut pas être lu ({error}).", reader.line_num + 1) from None


def _check_zip(data):
    """The XLSX's zip directory, before anything is decompressed: its total uncompressed size and its
    compression ratio."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnreadableFile("le fichier XLSX ne peut pas être lu (fichier abîmé ou autre format).") from None
    size = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    limit = settings.IPM_IMPORT_XLSX_MAX_BYTES
    if size > limit:
        raise UnreadableFile(f"le fichier XLSX décompressé dépasse {_number(limit // (1024 * 1024))} Mo : "
                             "découpez-le par année.")
    ratio = settings.IPM_IMPORT_XLSX_MAX_RATIO
    if size > settings.IPM_IMPORT_XLSX_RATIO_FROM_BYTES and size > ratio * max(packed, 1):
        raise UnreadableFile("le fichier XLSX est anormalement compressé (plus de "
                             f"{ratio} fois) : il ne peut pas être lu. Enregistrez-le à nouveau depuis votre tableur.")


def _read_xlsx(data):
    from openpyxl import load_workbook

    limits = _Limits()
    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — any unreadable file is refused with one message
        raise UnreadableFile("le fichier XLSX ne peut pas être lu (fichier abîmé ou autre format).") from None
    try:
        sheet = workbook.worksheets[0]
        # The sheet's declared dimension (when it has one), before any row is read.
        if (sheet.max_row or 0) - 1 > limits.rows:
            raise limits.too_many_rows(limits.rows + 2)
        limits.check_width(1, sheet.max_column or 0)
        header = None
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if line - 1 > limits.rows:
                raise limits.too_many_rows(line)
            limits.check_width(line, len(values))
            values = [_cell_text(v) for v in values]
            limits.check_cells(line, header, values)
            if header is None:
                header = [str(v).strip().lower() for v in values]
                yield header, max((sheet.max_row or 1) - 1, 0)
                continue
            if not any(v not in ("", None) for v in values):
                continue
            yield line, dict(zip(header, values))
        if header is None:
            yield [], 0
    except UnreadableFile:
        raise
    except Exception:  # noqa: BLE001 — a sheet that breaks while read is refused like an unreadable file
        raise UnreadableFile("le fichier XLSX ne peut pas être lu (fichier abîmé ou autre format).") from None
    finally:
        workbook.close()
