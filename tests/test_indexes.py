"""Every list filter, search, ordering and report grouping is served by an index (issue 8).

Two checks:

- the schema: each column a list filters, orders or a report groups on leads an index (read from the
  database's own catalogue, so a dropped index or a forgotten migration fails here);
- the plans, on PostgreSQL: the inbox's filters and the name search are answered through their index
  (``EXPLAIN`` with sequential scans discouraged, so that the tiny test data does not make PostgreSQL
  prefer reading the whole table: a filter with no usable index still shows a ``Seq Scan`` or a plain
  ``Filter`` on the column, never an ``Index Cond`` on it).

Small reference tables (structures, schemes, hosts, commission criteria: tens to hundreds of rows) are
read whole and are not listed.
"""
from datetime import date

import pytest
from django.db import connection, transaction

from departures.models import FundingAgreement, Stay
from dossiers.models import CommissionSession, Dossier, DossierEvent, Youth
from dossiers.queries import filter_dossiers
from followup.models import FollowUpCall, SentMessage
from referrals.models import Meeting, Referral, Structure

pytestmark = pytest.mark.django_db

# (model, column, what needs it)
INDEXED_COLUMNS = [
    (Dossier, "state", "boîte de réception, listes de travail : filtre « étape »"),
    (Dossier, "structure_id", "filtre structure, périmètre d'un conseiller de mission locale"),
    (Dossier, "received_on", "filtres de dates, ordre des listes, rapports par année de fiche"),
    (Dossier, "scheme_id", "filtre dispositif, rapports par dispositif"),
    (Dossier, "referring_counsellor_id", "« Mes jeunes »"),
    (Dossier, "platform_counsellor_id", "dossiers d'un conseiller mobilité"),
    (Dossier, "youth_id", "dossiers d'un jeune, rapports par jeune distinct"),
    (Youth, "search_name", "recherche par début de nom"),
    (Structure, "department", "filtre département"),
    (DossierEvent, "dossier_id", "historique du dossier, entonnoir"),
    (DossierEvent, "created_at", "journal"),
    (Stay, "departure_date", "séjours, rapport des départs"),
    (Stay, "return_date", "rapport des situations à six mois, appels à créer"),
    (Stay, "scheme_id", "filtre dispositif des séjours"),
    (FollowUpCall, "due_date", "appels du jour, en retard"),
    (FollowUpCall, "assigned_to_id", "mes appels"),
    (FollowUpCall, "dossier_id", "appels d'un dossier, appel du sixième mois"),
    (FollowUpCall, "done_at", "appels réalisés (du plus récent)"),
    (SentMessage, "status", "messages en échec"),
    (SentMessage, "kind", "filtre type de message"),
    (SentMessage, "created_at", "ordre de la liste des messages"),
    (Referral, "structure_id", "fiches d'une structure"),
    (Meeting, "date", "réunions à venir"),
    (CommissionSession, "date", "commissions"),
    (FundingAgreement, "year", "conventions et places d'une année"),
]


def leading_columns(table):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {c["columns"][0] for c in constraints.values() if (c["index"] or c["unique"]) and c["columns"]}


@pytest.mark.parametrize("model,column,why", INDEXED_COLUMNS, ids=[f"{m._meta.db_table}.{c}" for m, c, _ in INDEXED_COLUMNS])
def test_each_filtered_ordered_or_grouped_column_leads_an_index(model, column, why):
    assert column in leading_columns(model._meta.db_table), f"pas d'index sur {model._meta.db_table}.{column} ({why})"


postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="plans of PostgreSQL")


def plan(queryset, *settings):
    """The plan PostgreSQL chooses for ``queryset`` when every index is worth using."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            for setting in ("enable_seqscan", *settings):
                cursor.execute(f"SET LOCAL {setting} = off")
        return queryset.explain()


@postgresql_only
def test_the_name_search_is_answered_by_the_trigram_index():
    # Bitmap scans only: a bitmap scan needs an index able to answer « contains » itself (a full scan
    # of an ordinary index, with a filter, is not allowed), so the plan shows which index does.
    text = plan(Youth.objects.filter(search_name__contains="martin"), "enable_indexscan", "enable_indexonlyscan")
    assert "Bitmap Index Scan on dossiers_youth_search_trgm" in text, text
    assert "Seq Scan on dossiers_youth" not in text


@postgresql_only
@pytest.mark.parametrize("data,column", [
    ({"state": "fiche_recue"}, "state"),
    ({"date_from": date(2024, 1, 1), "date_to": date(2024, 12, 31)}, "received_on"),
    ({"structure": 1}, "structure_id"),
])
def test_each_inbox_filter_is_an_index_condition(data, column):
    # Bitmap scans only, as for the name search: on the small test tables the planner may otherwise walk
    # the ordering index (received_on) and filter, whichever index exists; a bitmap scan shows the index
    # that answers the filter itself.
    text = plan(filter_dossiers(Dossier.objects.all(), data), "enable_indexscan", "enable_indexonlyscan")
    conditions = [line for line in text.splitlines() if "Index Cond" in line or "Recheck Cond" in line]
    assert any(column in line for line in conditions), text
    assert "Seq Scan on dossiers_dossier" not in text


@postgresql_only
def test_the_overdue_calls_are_found_through_an_index():
    text = plan(FollowUpCall.objects.filter(done_at__isnull=True, due_date__lt=date(2026, 1, 1)).order_by("due_date"))
    assert "Seq Scan on followup_followupcall" not in text
    assert any(("due_date" in line or "done_at" in line) for line in text.splitlines() if "Index Cond" in line), text
