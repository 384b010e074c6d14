"""One report, four renderings: the page (HTML, in the views), CSV (exactly docs/report-formats.md),
XLSX (formatted: header row, widths, totals) and PDF (WeasyPrint)."""
import csv
import io
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from ipm.pdf import html_to_pdf

from .reports.common import DATA, HEADING, SUBTOTAL, TOTAL

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
FORMATS = tuple(CONTENT_TYPES)


def filename(report, extension):
    years = report.years
    span = f"{years[0]}" if years and years[0] == years[-1] else (f"{years[0]}-{years[-1]}" if years else "")
    return f"rapport-{report.name}-{span}.{extension}".replace("--", "-")


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


def extraction_footer(now=None):
    now = timezone.localtime(now or timezone.now())
    return f"Source : Ipm — {settings.IPM_PLATFORM_NAME}. Extraction du {now:%d/%m/%Y à %H:%M}."


def write_xlsx(sheets, output=None):
    """Write ``sheets`` — a list of (title, header, rows, kinds, widths) — as a formatted XLSX workbook,
    in write-only (streamed) mode so that large exports stay small in memory. Returns bytes when no
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
    for title, header, rows, kinds, widths in sheets:
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
            cells = []
            for value in values:
                if isinstance(value, Decimal):
                    cell = WriteOnlyCell(sheet, value=float(value))
                    cell.number_format = "0.0"
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
    for index, column in enumerate(report.columns):
        longest = max([len(str(column))] + [len(csv_cell(r.cells[index])) for r in report.rows if index < len(r.cells)])
        widths.append(min(max(longest + 2, 8), 60))
    rows = [r.cells for r in report.rows]
    kinds = [r.kind for r in report.rows]
    info_rows = [[""], [report.title], [report.period]]
    info_rows += [[f"{label} : {value}"] for label, value in report.filters]
    if notes:
        info_rows += [[note] for note in report.notes]
    info_rows.append([extraction_footer()])
    return (title or report.title, report.columns, rows + info_rows, kinds + [DATA] * len(info_rows), widths)


def to_xlsx(report):
    return write_xlsx([xlsx_sheet(report)])


def to_pdf(report, request=None):
    html = render_to_string(
        "reporting/report_pdf.html",
        {"report": report, "platform_name": settings.IPM_PLATFORM_NAME, "footer": extraction_footer()},
    )
    return html_to_pdf(html)


def render(report, fmt, request=None):
    if fmt == "csv":
        return to_csv(report)
    if fmt == "xlsx":
        return to_xlsx(report)
    if fmt == "pdf":
        return to_pdf(report, request)
    raise ValueError(fmt)
