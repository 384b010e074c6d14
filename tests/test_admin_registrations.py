"""Django's administration lists the reference data kept by managers, under their French names: the
« aller-vers » actions (referrals) and the population of the 16-25 per department (reporting)."""
import pytest
from django.utils.html import escape

from conftest import log_in
from referrals.models import OutreachAction
from reporting.models import PopulationFigure

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url, model, make, shown", [
    ("/admin/referrals/outreachaction/", OutreachAction,
     lambda: OutreachAction.objects.create(name="Maraude du marché"), "Maraude du marché"),
    ("/admin/reporting/populationfigure/", PopulationFigure,
     lambda: PopulationFigure.objects.create(department="42", year=2024, population=70000, source="INSEE"), "INSEE"),
])
def test_the_reference_data_are_in_the_admin_with_french_names(client, users, url, model, make, shown):
    make()
    log_in(client, users["admin"])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert shown in text and escape(str(model._meta.verbose_name_plural).capitalize()) in text
    index = client.get("/admin/").content.decode()
    assert url in index  # listed on the administration's home page
    assert client.get(url + "add/").status_code == 200
