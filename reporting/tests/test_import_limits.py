"""The import's limits, through the upload page: a file past one is refused whole with a French message
naming the limit (and the line), nothing is written, the file is not kept, and the page never fails."""
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from openpyxl import Workbook

from dossiers.models import Dossier, Youth
from reporting import legacy
from reporting.enums import ImportStatus
from reporting.models import ImportJob

pytestmark = pytest.mark.django_db

HEADER = "reference,nom,prenom,date_naissance,sexe,structure,date_fiche,statut_final"
ROW = "A{n},Martin,Léa,01/01/2000,F,Mission Locale,01/02/2019,en_cours"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, content, name):
    response = client.post(reverse("reporting:import"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    return job, page.content.decode()


def assert_refused(job, page, message, line=None):
    assert job.status == ImportStatus.REFUSED
    assert [e["message"] for e in job.errors] == [message]
    if line is not None:
        assert job.errors[0]["line"] == line
    assert escape(message) in page and "rien n'a été enregistré" in page
    assert not job.file  # the refused file is not kept
    assert Dossier.objects.count() == 0 and Youth.objects.count() == 0


def xlsx(rows, sheet_xml=None, extra=()):
    """An XLSX written by openpyxl, its sheet's XML optionally rewritten, extra zip members added."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml" and sheet_xml:
                content = sheet_xml(content.decode()).encode()
            target.writestr(info.filename, content)
        for name, content in extra:
            target.writestr(name, content)
    return out.getvalue()


def test_a_row_bomb_declaring_a_million_rows_is_refused_without_reading_them(client_for):
    def declare(xml):
        return re.sub(r'<dimension ref="[^"]+"\s*/>', '<dimension ref="A1:Z1200000"/>', xml)

    content = xlsx([HEADER.split(","), ROW.format(n=1).split(",")], sheet_xml=declare)
    assert len(content) < 200 * 1024
    job, page = upload(client_for("manager"), content, "historique.xlsx")
    assert_refused(job, page, "Le fichier dépasse 100 000 lignes : découpez-le par année.")


def test_a_sheet_with_too_many_rows_stops_at_the_limit(client_for, settings):
    settings.IPM_IMPORT_MAX_ROWS = 1000

    def many_rows(xml):
        rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>A{n}</t></is></c></row>'
                       for n in range(2, 5002))
        xml = re.sub(r'<dimension ref="[^"]+"\s*/>', "", xml)  # no declared dimension: counted while read
        return re.sub(r"</sheetData>", rows + "</sheetData>", xml)

    job, page = upload(client_for("manager"), xlsx([HEADER.split(",")], sheet_xml=many_rows), "historique.xlsx")
    assert_refused(job, page, "Le fichier dépasse 1 000 lignes : découpez-le par année.", line=1002)


def test_a_decompression_bomb_is_refused_from_the_zip_directory(client_for):
    bomb = b"\0" * (51 * 1024 * 1024)
    content = xlsx([HEADER.split(",")], extra=[("xl/media/bomb.bin", bomb)])
    del bomb
    assert len(content) < 1024 * 1024
    job, page = upload(client_for("manager"), content, "historique.xlsx")
    assert_refused(job, page, "le fichier XLSX décompressé dépasse 50 Mo : découpez-le par année.")


def test_an_abnormally_compressed_xlsx_is_refused(client_for, settings):
    settings.IPM_IMPORT_XLSX_RATIO_FROM_BYTES = 1024 * 1024
    content = xlsx([HEADER.split(",")], extra=[("xl/media/zeros.bin", b"\0" * (3 * 1024 * 1024))])
    job, page = upload(client_for("manager"), content, "historique.xlsx")
    assert job.status == ImportStatus.REFUSED and "anormalement compressé" in job.errors[0]["message"]
    assert not job.file and Dossier.objects.count() == 0


def test_too_many_columns_are_refused(client_for):
    content = (HEADER + "," + ",".join(f"extra{i}" for i in range(60)) + "\n" + ROW.format(n=1) + "\n").encode()
    job, page = upload(client_for("manager"), content, "historique.csv")
    assert_refused(job, page, "la ligne a 68 colonnes, plus que les 60 acceptées : gardez les colonnes du modèle.",
                   line=1)


def test_too_many_columns_in_an_xlsx_are_refused(client_for):
    header = HEADER.split(",") + [f"extra{i}" for i in range(60)]
    job, page = upload(client_for("manager"), xlsx([header, ROW.format(n=1).split(",")]), "historique.xlsx")
    assert_refused(job, page, "la ligne a 68 colonnes, plus que les 60 acceptées : gardez les colonnes du modèle.",
                   line=1)


def test_an_oversized_cell_is_refused_with_its_line_and_column(client_for):
    long_name = "x" * 2001
    content = f"{HEADER}\n{ROW.format(n=1)}\nA2,{long_name},Léa,01/01/2000,F,ML,01/02/2019,en_cours\n".encode()
    job, page = upload(client_for("manager"), content, "historique.csv")
    assert_refused(job, page, "la cellule de la colonne « nom » dépasse 2 000 caractères.", line=3)


def test_a_csv_with_too_many_rows_is_refused(client_for, settings):
    settings.IPM_IMPORT_MAX_ROWS = 50
    content = "\n".join([HEADER] + [ROW.format(n=n) for n in range(1, 52)]).encode()
    job, page = upload(client_for("manager"), content, "historique.csv")
    assert_refused(job, page, "Le fichier dépasse 50 lignes : découpez-le par année.", line=52)


def test_a_nul_byte_is_a_clean_error_naming_its_line(client_for):
    content = f"{HEADER}\n{ROW.format(n=1)}\nA2,Mar\0tin,Léa,01/01/2000,F,ML,01/02/2019,en_cours\n".encode()
    job, page = upload(client_for("manager"), content, "historique.csv")
    assert_refused(job, page, "la ligne contient un caractère nul (octet 0) : ce n'est pas un fichier CSV texte. "
                              "Enregistrez-le au format « CSV UTF-8 ».", line=3)
    assert "Ligne" in page and ">3<" in page


def test_invalid_utf8_is_a_clean_error_naming_its_line(client_for):
    # UTF-8 accents (« Léa ») above, one line in another encoding: a damaged UTF-8 file, not Windows-1252.
    content = f"{HEADER}\n{ROW.format(n=1)}\n{ROW.format(n=2)}\n".encode() + "A3,Hélène,Léa\n".encode("latin-1")
    job, page = upload(client_for("manager"), content, "historique.csv")
    assert_refused(job, page, "la ligne n'est pas en UTF-8 alors que le reste du fichier l'est (caractères "
                              "abîmés). Dans votre tableur, enregistrez le fichier au format « CSV UTF-8 ».", line=4)


def test_a_file_within_the_limits_still_reads_with_multi_line_cells_and_crlf():
    content = (f"{HEADER}\r\n" + 'A1,"Martin\r\nDupont",Léa,01/01/2000,F,ML,01/02/2019,en_cours\r\n'
               + f"{ROW.format(n=2)}\r\n").encode("utf-8-sig")
    plan = legacy.check(content, "historique.csv")
    assert plan.errors == [] and plan.total_rows == 2
    assert plan.rows[0].last_name == "Martin\r\nDupont"
