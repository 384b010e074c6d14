"""The platform inbox: search by name, filters, pagination; and the dossier page."""
import datetime

import pytest
from django.urls import reverse

from dossiers.tests.factories import DossierFactory, YouthFactory, dossier_in_state
from dossiers.workflow import State
from referrals.tests.factories import StructureFactory

pytestmark = pytest.mark.django_db


def names(response):
    return [d.youth.last_name for d in response.context["object_list"]]


def test_search_ignores_case_and_accents(client_for):
    DossierFactory(youth=YouthFactory(last_name="Lefèvre", first_name="Élodie"))
    DossierFactory(youth=YouthFactory(last_name="Martin", first_name="Hugo"))
    client = client_for("reception")
    assert names(client.get(reverse("dossiers:inbox"), {"q": "lefevre"})) == ["Lefèvre"]
    assert names(client.get(reverse("dossiers:inbox"), {"q": "ELODIE"})) == ["Lefèvre"]
    assert names(client.get(reverse("dossiers:inbox"), {"q": "hugo mart"})) == ["Martin"]


def test_filters_structure_department_dates_state(client_for, users):
    lyon = StructureFactory(name="ML Lyon", department="69")
    roanne = StructureFactory(name="ML Roanne", department="42")
    DossierFactory(youth=YouthFactory(last_name="Alpha"), structure=lyon, received_on=datetime.date(2026, 1, 10))
    DossierFactory(youth=YouthFactory(last_name="Bravo"), structure=roanne, received_on=datetime.date(2026, 3, 10))
    dossier_in_state(State.INVITED, users["admin"], youth=YouthFactory(last_name="Charlie"), structure=roanne,
                     received_on=datetime.date(2026, 5, 10))
    client = client_for("reception")
    url = reverse("dossiers:inbox")
    assert names(client.get(url, {"structure": lyon.pk})) == ["Alpha"]
    assert sorted(names(client.get(url, {"department": "42"}))) == ["Bravo", "Charlie"]
    assert names(client.get(url, {"date_from": "2026-02-01", "date_to": "2026-04-01"})) == ["Bravo"]
    assert names(client.get(url, {"date_from": "01/02/2026"})) == ["Charlie", "Bravo"]
    assert names(client.get(url, {"state": State.INVITED})) == ["Charlie"]
    assert sorted(names(client.get(url, {"state": "actifs"}))) == ["Alpha", "Bravo", "Charlie"]
    response = client.get(url, {"date_from": "2026-04-01", "date_to": "2026-02-01"})
    assert "La date de fin est avant la date de début." in response.content.decode()


def test_newest_first_and_pagination_keeps_filters(client_for, structure):
    for i in range(30):
        DossierFactory(youth=YouthFactory(last_name=f"Nom{i:02d}"), structure=structure,
                       received_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=i))
    client = client_for("reception")
    first = client.get(reverse("dossiers:inbox"), {"department": "42"})
    assert names(first)[0] == "Nom29" and len(names(first)) == 25
    html = first.content.decode()
    assert "Page 1 sur 2" in html and "?department=42&amp;page=2" in html
    second = client.get(reverse("dossiers:inbox"), {"department": "42", "page": 2})
    assert len(names(second)) == 5
    assert client.get(reverse("dossiers:inbox"), {"page": "abc"}).status_code == 200


def test_dossier_page_shows_youth_fiche_and_timeline(client_for, users):
    dossier = dossier_in_state(State.INFO_DONE, users["admin"], youth=YouthFactory(last_name="Diallo", first_name="Aïcha"))
    page = client_for("reception").get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "DIALLO Aïcha" in page
    assert "Information collective faite" in page
    assert page.count("<li>\n            <div class=\"small text-muted\">") == dossier.events.count()
    assert 'aria-current="step"' in page
