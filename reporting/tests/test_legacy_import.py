"""Legacy import: the example file, whole file or nothing, every error named, twice = once, dry run."""
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from departures.models import Scheme, Stay
from dossiers.models import Dossier, DossierEvent, Youth
from dossiers.workflow import TRANSITION_TABLE, State
from followup.enums import Situation
from followup.models import FollowUpCall
from referrals.models import Structure
from reporting import legacy, renderers, reports
from reporting.tests.factories import reported_dossier
from reporting.filters import ReportFilters

pytestmark = pytest.mark.django_db

# The project's example history (synthetic people): 26 rows, 24 young people (two of them twice).
EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "example-legacy.csv"
HEADER = ",".join(legacy.COLUMNS)
GOOD = [
    "R1,Dupont,Élodie,15/03/2000,F,V,demandeur_emploi,oui,non,Mission Locale Test,10/01/2019,Yes Europe,Irlande,"
    "Dublin,01/03/2019,31/05/2019,parti,,emploi_cdi",
    "R2,DUPONT,elodie,2000-03-15,F,4,,,,Mission Locale Test,2020-02-01,,,,,,oriente,",
    "R3,Bernard,Kévin,01/01/1999,M,,,,,mission locale test,05/05/2019,Yes Europe,ES,Madrid,10/06/2019,,interrompu,",
]


def snapshot():
    return {model.__name__: model.objects.count()
            for model in (Structure, Scheme, Youth, Dossier, DossierEvent, Stay, FollowUpCall)}


def write(tmp_path, lines, name="historique.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def test_example_file_follows_the_template():
    assert EXAMPLE.read_text(encoding="utf-8").splitlines()[0] == HEADER


def test_example_file_imports_with_the_right_departures_table(capsys):
    call_command("import_legacy", str(EXAMPLE))
    assert Dossier.objects.filter(imported=True).count() == 26
    assert Youth.objects.count() == 24
    assert Stay.objects.count() == 15
    assert FollowUpCall.objects.count() == 13
    states = {}
    for state in Dossier.objects.values_list("state", flat=True):
        states[state] = states.get(state, 0) + 1
    assert states == {State.CLOSED: 14, State.ABROAD: 1, State.RECEIVED: 3, State.DROPPED: 3, State.ORIENTED: 3,
                      State.REFUSED: 2}
    csv = renderers.to_csv(reports.build("departures", ReportFilters())).decode()
    assert csv == (
        "Dispositif,2019,2020,2021,2022,Total\n"
        "Chantier international,1,1,1,1,4\n"
        "Corps européen de solidarité,1,0,2,0,3\n"
        "Erasmus+ stages,2,1,3,2,8\n"
        "Total,4,2,6,3,15\n"
    )
    assert "26 dossier(s) créés" in capsys.readouterr().out


def test_example_file_twice_changes_nothing(capsys):
    call_command("import_legacy", str(EXAMPLE))
    before = snapshot()
    states = dict(Dossier.objects.values_list("legacy_reference", "state"))
    call_command("import_legacy", str(EXAMPLE))
    assert snapshot() == before
    assert dict(Dossier.objects.values_list("legacy_reference", "state")) == states
    assert "0 dossier(s) créés, 26 déjà importé(s)" in capsys.readouterr().out


def test_dry_run_writes_nothing_and_says_what_would_be_created(capsys):
    before = snapshot()
    call_command("import_legacy", str(EXAMPLE), "--dry-run")
    assert snapshot() == before
    out = capsys.readouterr().out
    assert ("26 ligne(s) lue(s) ; 26 dossier(s) seraient créés, 0 déjà importé(s) (ignorés) ; 24 nouveau(x) "
            "jeune(s), 0 déjà connu(s) ; 15 séjour(s), 13 suivi(s) à six mois.") in out
    assert ("Structures nouvelles : Mission Locale Nord-Isère, Mission Locale de Vienne, "
            "Mission Locale Loire, antenne de Feurs") in out
    assert "Dispositifs nouveaux : Erasmus+ stages, Chantier international, Corps européen de solidarité" in out


def test_bad_file_writes_nothing_and_names_every_bad_line(tmp_path, capsys):
    lines = [HEADER, *GOOD,
             "R4,Martin,,31/02/2001,X,IX,chomeur,peut-etre,,Mission Locale Test,2019-01-01,,,,,,parti,",
             "R5,Martin,Paul,01/01/2001,M,,,,,Mission Locale Test,01/01/2020,Yes Europe,Atlantide,,01/03/2020,"
             "01/02/2020,parti,,cdi",
             "R1,Autre,Personne,01/01/2001,M,,,,,Mission Locale Test,01/01/2020,,,,,,en_cours,"]
    path = write(tmp_path, lines)
    before = snapshot()
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        call_command("import_legacy", str(path))
    assert snapshot() == before
    err = capsys.readouterr().err
    for expected in [
        "Ligne 5, colonne « prenom »", "Ligne 5, colonne « date_naissance »", "Ligne 5, colonne « sexe »",
        "Ligne 5, colonne « niveau »", "Ligne 5, colonne « situation »", "Ligne 5, colonne « qpv »",
        "Ligne 5, colonne « dispositif »", "Ligne 5, colonne « date_depart »",
        "Ligne 6, colonne « pays »", "Ligne 6, colonne « date_retour »", "Ligne 6, colonne « situation_6_mois »",
        "Ligne 7, colonne « reference » : la référence « R1 » figure déjà ligne 2",
    ]:
        assert expected in err
    assert "Ligne 2" not in err.replace("ligne 2", "")  # the good lines are not blamed


def test_dates_in_the_future_are_refused(tmp_path, capsys):
    path = write(tmp_path, [HEADER, "F1,Futur,Jeune,01/01/2000,F,,,,,ML,01/01/2099,Job,MT,,02/02/2099,,parti,"])
    with pytest.raises(CommandError):
        call_command("import_legacy", str(path))
    err = capsys.readouterr().err
    assert "Ligne 2, colonne « date_fiche » : la date de la fiche est dans le futur." in err
    assert "Ligne 2, colonne « date_depart » : la date de départ est dans le futur" in err


def test_missing_columns_are_named(tmp_path, capsys):
    path = write(tmp_path, ["reference,nom,prenom", "R1,A,B"])
    with pytest.raises(CommandError):
        call_command("import_legacy", str(path))
    assert "date_naissance, sexe, structure, date_fiche, statut_final" in capsys.readouterr().err


def test_same_person_without_case_or_accents_is_one_youth_with_two_dossiers(tmp_path):
    call_command("import_legacy", str(write(tmp_path, [HEADER, *GOOD])))
    assert Youth.objects.count() == 2
    elodie = Youth.objects.get(last_name="Dupont")
    assert elodie.dossiers.count() == 2
    assert elodie.qualification_level == "4"  # the most recent fiche's level
    assert elodie.qpv is True  # kept from the older fiche when the newer one is empty
    # "mission locale test" is the same structure; "Irlande" is IE.
    assert Structure.objects.filter(name__iexact="mission locale test").count() == 1
    stay = Stay.objects.get(dossier__legacy_reference="R1")
    assert (stay.country.code, stay.city, stay.scheme.name) == ("IE", "Dublin", "Yes Europe")


def test_an_imported_young_person_already_known_to_the_app_is_reused(tmp_path, users):
    known = Youth.objects.create(last_name="Dupont", first_name="Elodie", birth_date=date(2000, 3, 15), sex="F")
    call_command("import_legacy", str(write(tmp_path, [HEADER, GOOD[0]])))
    assert Youth.objects.count() == 1
    assert Dossier.objects.get(legacy_reference="R1").youth == known
    known.refresh_from_db()
    assert known.qualification_level == "V"  # an empty field is filled, nothing is overwritten


def test_imported_dossiers_have_the_states_timeline_stay_and_follow_up_the_app_would_have(tmp_path):
    call_command("import_legacy", str(write(tmp_path, [HEADER, *GOOD])))
    r1 = Dossier.objects.get(legacy_reference="R1")
    assert r1.imported and r1.received_on == date(2019, 1, 10)
    assert r1.state == State.CLOSED
    call = r1.followup_calls.get()
    assert (call.month, call.situation, call.due_date) == (6, Situation.CDI, date(2019, 11, 30))
    assert Dossier.objects.get(legacy_reference="R2").state == State.ORIENTED
    r3 = Dossier.objects.get(legacy_reference="R3")
    assert r3.state == State.ABROAD and r3.stay.interrupted  # interrupted, return date unknown
    for dossier in Dossier.objects.all():
        steps = list(dossier.events.values_list("from_state", "to_state"))
        assert steps[0] == ("", State.RECEIVED)
        assert steps[-1][1] == dossier.state
        for source, target in steps[1:]:
            assert (source, target) in TRANSITION_TABLE, (dossier.legacy_reference, source, target)


def test_imported_dossiers_count_in_reports_like_dossiers_made_in_the_app(tmp_path, users, structure):
    # The same two stories, one imported (fiches 2019), one lived in the application (fiches 2020).
    call_command("import_legacy", str(write(tmp_path, [
        HEADER,
        f"I1,Un,Jeune,01/01/2000,F,V,,,,{structure.name},10/01/2019,Yes Europe,IE,Dublin,01/03/2019,31/05/2019,"
        "parti,,emploi_cdi",
        f"I2,Deux,Jeune,01/01/2001,M,,,,,{structure.name},10/02/2019,,,,,,refuse,",
    ])))
    scheme = Scheme.objects.get(name="Yes Europe")
    admin = users["admin"]
    reported_dossier(admin, State.CLOSED, date(2020, 1, 10), structure=structure, scheme=scheme,
                     departure=date(2020, 3, 1), return_date=date(2020, 5, 31), situation6=Situation.CDI,
                     sex="F", birth_date=date(2001, 1, 1), qualification_level="V")
    reported_dossier(admin, State.REFUSED, date(2020, 2, 10), structure=structure, sex="M",
                     birth_date=date(2002, 1, 1))
    for name in ("funnel", "profile", "outcomes"):
        imported = reports.build(name, ReportFilters(year_from=2019, year_to=2019))
        lived = reports.build(name, ReportFilters(year_from=2020, year_to=2020))
        assert [r.cells[1:] for r in imported.rows] == [r.cells[1:] for r in lived.rows], name
    fej = reports.build("fej", ReportFilters(year_from=2019, year_to=2020))
    assert all(row.cells[1] == row.cells[2] for row in fej.rows)


def test_semicolon_delimiter_and_bom_are_accepted(tmp_path):
    lines = [HEADER.replace(",", ";")] + [GOOD[1].replace(",", ";")]
    path = tmp_path / "excel.csv"
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    call_command("import_legacy", str(path))
    assert Dossier.objects.get(legacy_reference="R2").state == State.ORIENTED


def test_a_windows_1252_file_is_read_as_such_and_said_so(tmp_path, capsys):
    path = write(tmp_path, [HEADER, GOOD[2]], encoding="cp1252")  # Kévin
    call_command("import_legacy", str(path))
    assert "Fichier lu en Windows-1252." in capsys.readouterr().out
    assert Youth.objects.get().first_name == "Kévin"


def test_a_file_in_no_known_encoding_is_refused_with_a_clear_message(tmp_path, capsys):
    path = tmp_path / "historique.csv"
    path.write_bytes((HEADER + "\n").encode() + GOOD[2].encode("cp1252").replace(b"\xe9", b"\x81") + b"\n")
    with pytest.raises(CommandError):
        call_command("import_legacy", str(path))
    assert "ni en UTF-8 ni en Windows-1252" in capsys.readouterr().err
    assert Dossier.objects.count() == 0


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_real_dates_imports(tmp_path):
    data = xlsx_bytes([
        legacy.COLUMNS,
        [1001, "Martin", "Zoé", date(1999, 4, 2), "F", 3, "etudiant", "non", "oui", "ML Nord", date(2018, 9, 1),
         "Job", "MT", "La Valette", date(2018, 11, 1), date(2019, 4, 30), "parti", "", "formation_qualifiante"],
    ])
    summary = legacy.import_file(data, "historique.xlsx")
    assert summary["dossiers"] == 1
    dossier = Dossier.objects.get(legacy_reference="1001")
    assert dossier.youth.qualification_level == "3" and dossier.youth.zrr is True
    assert dossier.stay.departure_date == date(2018, 11, 1)


def test_xlsx_errors_give_the_sheet_row(tmp_path):
    data = xlsx_bytes([legacy.COLUMNS, ["X1", "A", "B", "pas une date", "F", "", "", "", "", "S", date(2018, 9, 1),
                                        "", "", "", "", "", "en_cours", ""]])
    with pytest.raises(legacy.ImportRefused) as refused:
        legacy.import_file(data, "h.xlsx")
    assert [str(e) for e in refused.value.errors] == [
        "Ligne 2, colonne « date_naissance » : « pas une date » n'est pas une date JJ/MM/AAAA ou AAAA-MM-JJ."
    ]


def test_recent_return_without_follow_up_stays_open_for_the_follow_up():
    from django.utils import timezone

    today = timezone.localdate()
    row = legacy.LegacyRow(
        line=2, reference="X", last_name="A", first_name="B", birth_date=date(2000, 1, 1), sex="F", level="",
        employment_status="", qpv=None, zrr=None, structure="S", received_on=today.replace(year=today.year - 1),
        scheme="S", country="", city="", departure_date=today.replace(year=today.year - 1),
        return_date=today - __import__("datetime").timedelta(days=20), final_status="parti", situation_6="",
    )
    assert legacy.timeline(row)[-1][0] == State.RETURNED


def test_each_final_status_writes_the_timeline_of_docs_import_md():
    """The timelines are the workflow's own paths (``path_to``); this pins them to the table users read."""
    S = State
    before_departure = [S.RECEIVED, S.INFO_DONE, S.DIAGNOSED, S.FILE_BUILDING, S.IN_COMMISSION]
    expected = {
        ("en_cours", None, ""): [S.RECEIVED],
        ("abandon", None, ""): [S.RECEIVED, S.DROPPED],
        ("oriente", None, ""): [S.RECEIVED, S.INFO_DONE, S.ORIENTED],
        ("refuse", None, ""): [*before_departure, S.REFUSED],
        ("parti", None, ""): [*before_departure, S.ACCEPTED, S.CONTRACT_SIGNED, S.ABROAD],
        ("parti", date(2019, 6, 1), "emploi_cdi"): [*before_departure, S.ACCEPTED, S.CONTRACT_SIGNED, S.ABROAD,
                                                    S.RETURNED, S.FOLLOW_UP, S.CLOSED],
        ("interrompu", date(2019, 4, 1), ""): [*before_departure, S.ACCEPTED, S.CONTRACT_SIGNED, S.ABROAD,
                                               S.INTERRUPTED, S.CLOSED],
        ("interrompu", date(2019, 4, 1), "recherche_emploi"): [*before_departure, S.ACCEPTED, S.CONTRACT_SIGNED,
                                                               S.ABROAD, S.INTERRUPTED, S.FOLLOW_UP, S.CLOSED],
    }
    for (final, return_date, situation), states in expected.items():
        departed = final in ("parti", "interrompu")
        row = legacy.LegacyRow(
            line=2, reference="X", last_name="A", first_name="B", birth_date=date(2000, 1, 1), sex="F", level="",
            employment_status="", qpv=None, zrr=None, structure="S", received_on=date(2019, 1, 10),
            scheme="S" if departed else "", country="", city="", departure_date=date(2019, 3, 1) if departed else None,
            return_date=return_date, final_status=final, situation_6=situation,
        )
        assert [state for state, _when in legacy.timeline(row)] == states, (final, return_date, situation)
        assert all((source, target) in TRANSITION_TABLE for source, target in zip(states, states[1:]))


def test_nationality_is_read_from_the_optional_column_and_never_guessed(tmp_path, capsys):
    lines = [
        "reference,nom,prenom,date_naissance,sexe,structure,date_fiche,statut_final,nationalite",
        "N1,Benali,Sami,01/01/2000,M,ML,10/01/2019,en_cours,Maroc",
        "N2,Durand,Léa,02/02/2000,F,ML,10/01/2019,en_cours,es",
        "N3,Petit,Noé,03/03/2000,M,ML,10/01/2019,en_cours,",
    ]
    call_command("import_legacy", str(write(tmp_path, lines)))
    nationality = {y.last_name: y.nationality.code for y in Youth.objects.all()}
    assert nationality == {"Benali": "MA", "Durand": "ES", "Petit": ""}
    bad = write(tmp_path, [lines[0], "N4,Roux,Lou,04/04/2000,F,ML,10/01/2019,en_cours,Atlantide"], name="bad.csv")
    with pytest.raises(CommandError):
        call_command("import_legacy", str(bad))
    assert "colonne « nationalite » : « Atlantide » : pays inconnu" in capsys.readouterr().err
