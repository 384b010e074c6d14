"""The template managers download (docs/import.md « Le modèle »): its header row in CSV; in XLSX, the
header row, one example row — marked as such, and refused by the check if it is left in the file — and
drop-down lists (data validation) on the coded columns."""
import datetime
import io

from .check import COLUMNS, EMPLOYMENT_CHOICES, EXAMPLE_REFERENCE, FINAL_STATUSES, LEVELS, SITUATIONS_6

# The example row: a young person who left and came back, every coded column filled in.
EXAMPLE = {
    "reference": EXAMPLE_REFERENCE, "nom": "Exemple", "prenom": "Ligne à supprimer",
    "date_naissance": datetime.date(2000, 5, 14), "sexe": "F", "niveau": "IV", "situation": "demandeur_emploi",
    "qpv": "non", "zrr": "oui", "structure": "Mission Locale du Forez", "date_fiche": datetime.date(2019, 2, 1),
    "dispositif": "Erasmus+ stages", "pays": "IE", "ville": "Dublin", "date_depart": datetime.date(2019, 9, 2),
    "date_retour": datetime.date(2019, 12, 20), "statut_final": "parti", "nationalite": "FR",
    "situation_6_mois": "formation_qualifiante",
}
# The coded columns: their accepted values (the drop-down lists) and whether they may be left empty.
CHOICES = {
    "sexe": (["F", "M"], False),
    "niveau": (list(LEVELS.values()), True),
    "situation": (EMPLOYMENT_CHOICES, True),
    "qpv": (["oui", "non"], True),
    "zrr": (["oui", "non"], True),
    "statut_final": (FINAL_STATUSES, False),
    "situation_6_mois": (SITUATIONS_6, True),
}
# The rows the drop-down lists cover (the import's own row limit is in the settings).
LIST_ROWS = 50000


def template_csv():
    """The template to download as CSV: its header row (UTF-8, comma-separated)."""
    return (",".join(COLUMNS) + "\n").encode("utf-8")


def template_xlsx():
    """The template to download as a spreadsheet: the header row, the example row, the drop-down lists."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Dossiers"
    sheet.append(COLUMNS)
    sheet.append([EXAMPLE.get(column, "") for column in COLUMNS])
    sheet.freeze_panes = "A2"
    example_font = Font(italic=True, color="7F7F7F")
    example_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(len(column) + 4, 14)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        cell = sheet.cell(row=2, column=index)
        cell.font, cell.fill = example_font, example_fill
        if isinstance(cell.value, datetime.date):
            cell.number_format = "DD/MM/YYYY"
        if column in CHOICES:
            values, blank = CHOICES[column]
            validation = DataValidation(
                type="list", formula1='"' + ",".join(values) + '"', allow_blank=blank, showDropDown=False,
                showErrorMessage=True, errorTitle="Valeur non acceptée",
                error=f"Choisissez une valeur de la liste : {', '.join(values)}.",
                promptTitle=column, prompt="Choisissez dans la liste." + ("" if blank else " Obligatoire."),
                showInputMessage=True,
            )
            validation.add(f"{letter}2:{letter}{LIST_ROWS + 1}")
            sheet.add_data_validation(validation)
    sheet["A2"].comment = Comment(
        f"Ligne d'exemple : supprimez-la (ou remplacez-la par un vrai dossier) avant l'import. Une ligne de "
        f"référence « {EXAMPLE_REFERENCE} » est refusée.", "Ipm")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
