"""One report, five renderings: the page (HTML, in the views), CSV (exactly docs/report-formats.md), the
CSV pour Excel (what a French Excel opens as it is: BOM, semicolons, decimal comma, French titles), XLSX
(formatted: French titles, percentages, totals) and PDF (WeasyPrint, tagged).

One function per format, each taking a ``Report`` and returning bytes: ``to_csv``, ``to_excel_csv``,
``to_xlsx``, ``to_pdf`` (``render`` picks one by its name in ``FORMATS``)."""
import csv
import datetime
import io
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from ipm.pdf import html_to_pdf

from .reports.common import DATA, HEADING, SUBTOTAL, TOTAL

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "excel-csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
FORMATS = tuple(CONTENT_TYPES)
# The download buttons' words.
FORMAT_LABELS = {"csv": "CSV", "excel-csv": "CSV pour Excel", "xlsx": "XLSX", "pdf": "PDF"}
# The number format of a percentage in XLSX (the value a fraction: 0.333 shows « 33,3 % » in a French
# Excel) and of a whole number (« 250 000 »: Excel groups with the reader's own separator).
XLSX_PERCENT = "0.0 %"
XLSX_INTEGER = "#,##0"


def filename(report, extension):
    years = report.years
    span = f"{years[0]}" if years and years[0] == years[-1] else (f"{years[0]}-{years[-1]}" if years else "")
    suffix = ""
    if extension == "excel-csv":
        extension, suffix = "csv", "-excel"
    return f"rapport-{report.name}-{span}{suffix}.{extension}".replace("--", "-")


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.1f}"
    return str(value)


def to_csv(report):
    """The CSV of docs/report-formats.md: UTF-8, comma-separated, one header row, integers plain,
    percentages with one decimal and a dot. Display-only subtotal rows are left out."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(report.columns)
    for row in report.rows:
        if row.kind == SUBTOTAL:
            continue
        writer.writerow([csv_cell(c) for c in row.cells])
    return buffer.getvalue().encode("utf-8")


def excel_cell(value):
    """A cell of the CSV pour Excel: as in the CSV, with a decimal comma."""
    if isinstance(value, Decimal):
        return f"{value:.1f}".replace(".", ",")
    return csv_cell(value)


def to_excel_csv(report):
    """The CSV a French Excel opens as it is (double click): UTF-8 with a BOM, semicolons, CRLF line ends,
    the French column titles, percentages with a decimal comma (``33,3``). The same rows and figures as the
    CSV (docs/report-formats.md « CSV pour Excel »)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(report.headings)
    for row in report.rows:
        if row.kind == SUBTOTAL:
            continue
        writer.writerow([excel_cell(c) for c in row.cells])
    return buffer.getvalue().encode("utf-8-sig")


def extraction_footer(now=None):
    now = timezone.localtime(now or timezone.now())
    return f"Source : Ipm — {settings.IPM_PLATFORM_NAME}. Extraction du {now:%d/%m/%Y à %H:%M}."


def write_xlsx(sheets, output=None):
    """Write ``sheets`` — a list of (title, header, rows, kinds, widths), optionally with a sixth item, the
    set of the indexes of the percentage columns — as a formatted XLSX workbook, in write-only (streamed)
    mode so that large exports stay small in memory. A sheet with that sixth item is a report's: its
    percentages are written as fractions in the ``XLSX_PERCENT`` format (33.3 → 0.333, « 33,3 % »), its
    whole numbers grouped by thousands; without it, numbers are written as they are. Returns bytes when no
    ``output`` file object is given."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F4E79")
    heading_fill = PatternFill("solid", fgColor="DDEBF7")
    top_border = Border(top=Side(style="thin"))
    workbook = Workbook(write_only=True)
    for title, header, rows, kinds, widths, *rest in sheets:
        percent = rest[0] if rest else None
        sheet = workbook.create_sheet(title=title[:31])
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        cells = []
        for value in header:
            cell = WriteOnlyCell(sheet, value=value)
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            cells.append(cell)
        sheet.append(cells)
        for values, kind in zip(rows, kinds):
            if kind == DATA and percent is None and not any(isinstance(v, (Decimal, datetime.date)) for v in values):
                sheet.append(values)  # nothing to format: openpyxl's own cells, a third cheaper (large exports)
                continue
            cells = []
            for index, value in enumerate(values):
                if isinstance(value, Decimal) and percent is not None and index in percent:
                    cell = WriteOnlyCell(sheet, value=float(value / 100))
                    cell.number_format = XLSX_PERCENT
                elif isinstance(value, Decimal):
                    cell = WriteOnlyCell(sheet, value=float(value))
                    cell.number_format = "0.0"
                elif percent is not None and isinstance(value, int) and not isinstance(value, bool):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = XLSX_INTEGER
                else:
                    cell = WriteOnlyCell(sheet, value=value)
                    if hasattr(value, "year") and not isinstance(value, str):
                        cell.number_format = "DD/MM/YYYY"
                if kind in (TOTAL, SUBTOTAL, HEADING):
                    cell.font = bold
                if kind in (TOTAL, SUBTOTAL):
                    cell.border = top_border
                if kind == HEADING:
                    cell.fill = heading_fill
                cells.append(cell)
            sheet.append(cells)
    target = output or io.BytesIO()
    workbook.save(target)
    if output is None:
        return target.getvalue()
    return None


def xlsx_sheet(report, title=None, notes=False):
    """One sheet of ``write_xlsx`` for a report: its table, then its title, period, filters (and its
    notes when asked) and the source with the extraction date."""
    widths = []
    for index, column in enumerate(report.headings):
        longest = max([len(str(column))] + [len(csv_cell(r.cells[index])) for r in report.rows if index < len(r.cells)])
        widths.append(min(max(longest + 2, 8), 60))
    rows = [r.cells for r in report.rows]
    kinds = [r.kind for r in report.rows]
    info_rows = [[""], [report.title], [report.period]]
    info_rows += [[f"{label} : {value}"] for label, value in report.filters]
    if notes:
        info_rows += [[note] for note in report.notes]
    info_rows.append([extraction_footer()])
    return (title or report.title, report.headings, rows + info_rows, kinds + [DATA] * len(info_rows), widths,
            report.percent_indexes)


def to_xlsx(report):
    return write_xlsx([xlsx_sheet(report)])


def to_pdf(report, request=None):
    html = render_to_string(
        "reporting/report_pdf.html",
        {"report": report, "platform_name": settings.IPM_PLATFORM_NAME, "footer": extraction_footer()},
    )
    return html_to_pdf(html)


RENDERERS = {"csv": to_csv, "excel-csv": to_excel_csv, "xlsx": to_xlsx, "pdf": to_pdf}


def render(report, fmt, request=None):
    if fmt not in RENDERERS:
        raise ValueError(fmt)
    return RENDERERS[fmt](report)
