import datetime

import pytest
from django.urls import reverse

from dossiers.tests.factories import DossierFactory, YouthFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("q", ["martin léa", "Martin"])
def test_search_by_name_lists_newest_first(client_for, structure, q):
    """A full-name search is ordered by an expression (dossiers.queries.newest_first, for PostgreSQL's
    plan): the page still shows the newest fiche first, one word or two."""
    youth = YouthFactory(last_name="Martin", first_name="Léa")
    other = YouthFactory(last_name="Durand", first_name="Léa")
    today = datetime.date.today()
    old = DossierFactory(youth=youth, structure=structure, received_on=today - datetime.timedelta(days=400))
    new = DossierFactory(youth=youth, structure=structure, received_on=today - datetime.timedelta(days=3))
    middle = DossierFactory(youth=youth, structure=structure, received_on=today - datetime.timedelta(days=30))
    DossierFactory(youth=other, structure=structure, received_on=today)
    response = client_for("reception").get(reverse("dossiers:inbox"), {"q": q})
    assert list(response.context["object_list"]) == [new, middle, old]
