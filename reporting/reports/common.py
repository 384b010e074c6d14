"""What every report shares: the ``Report`` and its ``Row`` kinds, the percentage, and the query
expressions several reports use (age at a date, a young person's first row, a period of years, a
departure, hand-written SQL around an ORM query).

The number of queries of a report does not depend on the number of dossiers: every count is made by
the database (COUNT … GROUP BY), Python only lays out the (bounded) grouped results. Reports never
write.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connections
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Cast, ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone

from ..filters import period_label

# Row kinds: "data" and "total" rows are in every format; a "heading" row opens a block (CSV: the
# block name alone in the first column); a "subtotal" row is shown on screen, in XLSX and PDF only.
DATA, TOTAL, HEADING, SUBTOTAL = "data", "total", "heading", "subtotal"


@dataclass
class Row:
    cells: list
    kind: str = DATA


@dataclass(frozen=True)
class Column:
    """One column of a report: ``key`` is the CSV's header (docs/report-formats.md: it never changes),
    ``label`` its French title (page, PDF, XLSX, CSV pour Excel); ``percent``: the column holds
    percentages (``pct``), written as percentages in XLSX."""

    key: str
    label: str = ""
    percent: bool = False

    @property
    def title(self):
        return self.label or self.key


def year_columns(years):
    """One column per year of the period (its title is the year)."""
    return [Column(str(year)) for year in years]


@dataclass
class Report:
    name: str
    title: str
    # A list of ``Column`` (or of keys, their own titles); ``columns`` then holds the keys (the CSV's
    # header), ``column_defs`` the columns.
    columns: list
    rows: list
    years: list
    filters: list = field(default_factory=list)
    chart: dict | None = None
    notes: list = field(default_factory=list)
    # On screen and in the PDF, row labels are shown in words (the CSV and XLSX keep the codes of
    # docs/report-formats.md).
    labels: dict = field(default_factory=dict)
    # A map of the departments (the equity report): drawn on screen and in the PDF.
    map: dict | None = None
    column_defs: list = field(default_factory=list, repr=False)

    def __post_init__(self):
        keys = [c.key if isinstance(c, Column) else str(c) for c in self.columns]
        if [c.key for c in self.column_defs] != keys:  # (``dataclasses.replace`` passes both)
            self.column_defs = [c if isinstance(c, Column) else Column(str(c)) for c in self.columns]
        self.columns = [c.key for c in self.column_defs]

    @property
    def headings(self):
        """The French column titles."""
        return [c.title for c in self.column_defs]

    @property
    def percent_indexes(self):
        return {index for index, column in enumerate(self.column_defs) if column.percent}

    @property
    def period(self):
        return period_label(self.years)


class Figure(Decimal):
    """A figure with one decimal that is not a percentage (departures per 10,000 young people, a ratio):
    the CSV writes it like a percentage (``0.5``), the page without the « % »."""


def pct(count, total):
    """A percentage with one decimal (half up), 0.0 when the total is zero."""
    if not total:
        return Decimal("0.0")
    return (Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def as_int(expression):
    """``expression`` as an integer in SQL: PostgreSQL's EXTRACT gives a numeric, and computing or grouping
    on numerics over 250,000 rows cost the FEJ and profile reports about a fifth of their time."""
    return Cast(expression, IntegerField())


def age_expression(birth_path, day_path):
    """Age in whole years at ``day_path`` of someone born at ``birth_path``, computed by the database."""
    birthday_not_reached = Q(**{"_age_dm__lt": F("_age_bm")}) | Q(_age_dm=F("_age_bm"), _age_dd__lt=F("_age_bd"))
    return {
        "_age_dm": as_int(ExtractMonth(day_path)),
        "_age_bm": as_int(ExtractMonth(birth_path)),
        "_age_dd": as_int(ExtractDay(day_path)),
        "_age_bd": as_int(ExtractDay(birth_path)),
        "_age_ny": as_int(ExtractYear(day_path)),
        "_age_by": as_int(ExtractYear(birth_path)),
    }, birthday_not_reached


def annotate_age(queryset, birth_path, day_path, name="age"):
    parts, not_reached = age_expression(birth_path, day_path)
    return queryset.annotate(**parts).annotate(
        **{name: F("_age_ny") - F("_age_by") - Case(When(not_reached, then=Value(1)), default=Value(0),
                                                      output_field=IntegerField())}
    )


def first_per_youth(queryset, youth_path, date_path):
    """Keep, for each young person, only their first row of ``queryset`` (by date then id): a young
    person counts once, at their first fiche (or departure) of the period."""
    earlier = queryset.filter(**{youth_path: OuterRef(youth_path)}).filter(
        Q(**{f"{date_path}__lt": OuterRef(date_path)}) | Q(**{date_path: OuterRef(date_path), "pk__lt": OuterRef("pk")})
    )
    return queryset.exclude(Exists(earlier))


def in_years(queryset, date_path, years):
    return queryset.filter(**{f"{date_path}__year__gte": years[0], f"{date_path}__year__lte": years[-1]})


def departed(prefix="stay__"):
    """The dossier's stay started (a departure date, not in the future) — as in the departures report."""
    return Q(**{f"{prefix}departure_date__isnull": False, f"{prefix}departure_date__lte": timezone.localdate()})


def run_over(queryset, template, name, **tables):
    """Rows of the SQL ``template`` where ``{name}`` is the SQL of ``queryset`` — built by the ORM, with
    every filter of the report and its parameters — and each other ``{key}`` the table of a model of
    ``tables``. For the few groupings the ORM cannot write (a join on another column than a relation,
    two nested GROUP BY): the template stays standard SQL (PostgreSQL and SQLite)."""
    sql, params = queryset.order_by().query.sql_with_params()
    names = {key: connections[queryset.db].ops.quote_name(model._meta.db_table) for key, model in tables.items()}
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(template.format(**{name: sql}, **names), params)
        return cursor.fetchall()
