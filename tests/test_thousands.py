"""Counts on the pages are grouped by thousands the French way (« 1 234 structures », « 85 000 jeunes »),
as the reports already print them; years, identifiers in links and form values are never grouped
(USE_THOUSAND_SEPARATOR stays off: only the counts go through ``intcomma``)."""
import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.urls import reverse

from conftest import log_in
from departures.models import HostOrganisation
from reporting.models import PopulationFigure
from reporting.templatetags.reporting_tags import report_cell

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"  # Django's French thousands separator


def test_counts_are_grouped_like_the_reports():
    from django.contrib.humanize.templatetags.humanize import intcomma

    assert intcomma(250000) == f"250{NBSP}000" == report_cell(250000)
    assert intcomma(1234567) == f"1{NBSP}234{NBSP}567"
    assert intcomma(999) == "999" and intcomma(-1200) == f"-1{NBSP}200"


def test_a_list_of_more_than_a_thousand_shows_its_count_grouped_and_its_links_as_they_are(client, users):
    HostOrganisation.objects.bulk_create(
        HostOrganisation(name=f"Accueil {n:04d}", country="ES", town="Valence") for n in range(1233))
    HostOrganisation.objects.create(pk=12345, name="Accueil 0000 premier", country="ES", town="Valence")
    page = log_in(client, users["mobility"]).get(reverse("departures:hosts")).content.decode()
    assert f"1{NBSP}234 structures" in page and "1234 structures" not in page
    # The first host's link keeps its identifier as it is (a grouped id would be a broken link).
    assert f'href="{reverse("departures:host_detail", args=[12345])}"' in page
    assert f"12{NBSP}345" not in page
    # The pages' links: « page=50 », never grouped.
    assert "page=50" in page


def test_the_pager_groups_its_page_numbers_but_not_its_links():
    page = Paginator(range(30_000), 25).page(1000)
    html = render_to_string("includes/pagination.html", {"page_obj": page, "querystring_without_page": ""})
    assert f"Page 1{NBSP}000 sur 1{NBSP}200" in html
    assert "page=1200" in html and "page=999" in html and "page=1001" in html


def test_a_population_is_grouped_its_year_and_its_form_value_are_not(client, users):
    figure = PopulationFigure.objects.create(department="42", year=2026, population=85000, source="INSEE 2021")
    manager = log_in(client, users["manager"])
    page = manager.get(reverse("reporting:population")).content.decode()
    assert f"85{NBSP}000" in page and ">2026<" in page and f"2{NBSP}026" not in page
    assert reverse("reporting:population_edit", args=[figure.pk]) in page
    form = manager.get(reverse("reporting:population_edit", args=[figure.pk])).content.decode()
    assert 'value="85000"' in form and 'value="2026"' in form and NBSP + "000" not in form
    delete = manager.get(reverse("reporting:population_delete", args=[figure.pk])).content.decode()
    assert f"La population de 85{NBSP}000 jeunes" in delete and "en 2026" in delete
