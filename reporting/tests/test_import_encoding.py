"""The legacy import reads what a French Excel writes by default (« CSV (séparateur : point-virgule) »:
Windows-1252, semicolons) and says so; the XLSX template carries an example row (refused if left in) and
drop-down lists for the coded columns."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dossiers.models import Dossier, Youth
from reporting import legacy
from reporting.enums import ImportStatus
from reporting.legacy.check import EXAMPLE_REFERENCE
from reporting.legacy.read import CP1252, UTF8, csv_encoding
from reporting.legacy.template import CHOICES
from reporting.models import ImportJob

pytestmark = pytest.mark.django_db

HEADER = "reference;nom;prenom;date_naissance;sexe;niveau;situation;qpv;zrr;structure;date_fiche;statut_final"
ROWS = [
    "W1;Lefèvre;Hélène;03/04/2001;F;IV;étudiant;non;oui;Mission Locale de Saint-Étienne;05/02/2019;orienté",
    "W2;Béranger;Noël;17/11/1999;M;V;demandeur_emploi;oui;non;Mission Locale de Saint-Étienne;12/03/2019;refuse",
    "W3;Œuvray;Zoé;01/01/2000;F;;;;;\"Mission Locale Loire; antenne de Feurs\";01/06/2019;en_cours",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def excel_file(rows):
    """The bytes a French Excel writes for « CSV (séparateur : point-virgule) »: Windows-1252, CRLF."""
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode("cp1252")


def upload(client, content, name="historique.csv"):
    response = client.post(reverse("reporting:import"), {"file": SimpleUploadedFile(name, content, "text/csv")})
    assert response.status_code == 302
    job = ImportJob.objects.order_by("-pk").first()
    return job, client.get(job.get_absolute_url()).content.decode()


def test_the_encoding_rule():
    assert csv_encoding(b"reference,nom\nA1,Martin\n") == UTF8  # ASCII: either, read as UTF-8
    assert csv_encoding("reference,nom\nA1,Hélène\n".encode("utf-8")) == UTF8
    assert csv_encoding("\ufeffreference,nom\nA1,Hélène\n".encode("utf-8")) == UTF8
    assert csv_encoding("reference,nom\nA1,Hélène\n".encode("cp1252")) == CP1252
    assert csv_encoding("reference,nom\nA1,Œuvray – « x »\n".encode("cp1252")) == CP1252  # bytes 0x80-0x9F
    # UTF-8 accents on one line, a Windows-1252 one on another: a damaged UTF-8 file (refused at its line).
    assert csv_encoding("A1,Léa\n".encode("utf-8") + "A2,Hélène\n".encode("cp1252")) == UTF8
    # A BOM says UTF-8 whatever follows.
    assert csv_encoding(b"\xef\xbb\xbfA1," + "Hélène\n".encode("cp1252")) == UTF8


def test_a_windows_1252_semicolon_file_from_excel_is_checked_and_imported(client_for):
    rows = [ROWS[0].replace("étudiant", "etudiant").replace("orienté", "oriente"), ROWS[1], ROWS[2]]
    client = client_for("manager")
    job, page = upload(client, excel_file(rows))
    assert job.status == ImportStatus.CHECKED, job.errors
    assert job.summary["encoding"] == "Windows-1252" and job.summary["dossiers"] == 3
    assert "Fichier lu en Windows-1252" in page
    assert "Mission Locale Loire; antenne de Feurs" in page  # the quoted semicolon kept in its cell
    client.post(reverse("reporting:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    names = sorted(Youth.objects.values_list("last_name", "first_name"))
    assert names == [("Béranger", "Noël"), ("Lefèvre", "Hélène"), ("Œuvray", "Zoé")]
    assert Dossier.objects.get(legacy_reference="W3").structure.name == "Mission Locale Loire; antenne de Feurs"


def test_a_windows_1252_file_with_errors_names_every_bad_line_and_writes_nothing(client_for):
    job, page = upload(client_for("manager"), excel_file(ROWS))
    assert job.status == ImportStatus.REFUSED
    assert [(e["line"], e["column"]) for e in job.errors] == [(2, "situation"), (2, "statut_final")]
    assert "« étudiant » n'est pas une valeur acceptée" in job.errors[0]["message"]  # the accent read right
    assert "Fichier lu en Windows-1252" in page
    assert Dossier.objects.count() == 0 and Youth.objects.count() == 0


def test_a_utf8_file_is_named_utf8(client_for):
    content = ("\ufeff" + "\r\n".join([HEADER, ROWS[1]]) + "\r\n").encode("utf-8")
    job, page = upload(client_for("manager"), content)
    assert job.summary["encoding"] == "UTF-8" and "Fichier lu en UTF-8" in page


def template_sheet(client):
    response = client.get(reverse("reporting:import_template", args=["xlsx"]))
    assert response.status_code == 200
    return response.content, load_workbook(io.BytesIO(response.content)).active


def test_the_xlsx_template_has_a_marked_example_row_and_drop_down_lists(client_for):
    content, sheet = template_sheet(client_for("manager"))
    assert [c.value for c in sheet[1]] == legacy.COLUMNS
    example = {column: cell.value for column, cell in zip(legacy.COLUMNS, sheet[2])}
    assert example["reference"] == EXAMPLE_REFERENCE and "supprimer" in example["prenom"]
    assert "Ligne d'exemple" in sheet["A2"].comment.text
    assert sheet.max_row == 2
    lists = {}
    for validation in sheet.data_validations.dataValidation:
        column = legacy.COLUMNS[ord(str(validation.sqref).split(":")[0][0]) - ord("A")]
        lists[column] = (validation.type, validation.formula1.strip('"').split(","), validation.allow_blank)
    assert set(lists) == {"sexe", "niveau", "situation", "qpv", "zrr", "statut_final", "situation_6_mois"}
    assert lists["sexe"] == ("list", ["F", "M"], False)
    assert lists["statut_final"][1] == ["en_cours", "oriente", "refuse", "abandon", "parti", "interrompu"]
    assert lists["qpv"] == ("list", ["oui", "non"], True)
    for column, (values, _blank) in CHOICES.items():
        assert lists[column][1] == values
        assert example[column] in values or str(example[column]) in values  # the example follows its lists


def test_the_template_as_downloaded_is_refused_at_its_example_row(client_for):
    client = client_for("manager")
    content, _sheet = template_sheet(client)
    job, page = upload(client, content, "modele-import-historique.xlsx")
    assert job.status == ImportStatus.REFUSED
    assert [(e["line"], e["column"]) for e in job.errors] == [(2, "reference")]
    assert "ligne d'exemple du modèle : supprimez-la" in job.errors[0]["message"]
    assert Dossier.objects.count() == 0


def test_the_example_row_filled_in_as_a_real_dossier_imports(client_for):
    client = client_for("manager")
    content, _sheet = template_sheet(client)
    workbook = load_workbook(io.BytesIO(content))
    workbook.active["A2"] = "H-0001"
    buffer = io.BytesIO()
    workbook.save(buffer)
    job, _page = upload(client, buffer.getvalue(), "historique.xlsx")
    assert job.status == ImportStatus.CHECKED, job.errors
    assert job.summary["dossiers"] == 1 and job.summary["stays"] == 1 and job.summary["encoding"] == ""
