"""profile — who the public is: distinct young people received (fiche in the period, at their first
fiche) and departed (departure in the period, at their first departure)."""
from django.db.models import Count, F

from dossiers.enums import old_level

from .common import SUBTOTAL, Column, Report, Row, annotate_age, first_per_youth, in_years, pct

NAME = "profile"
TITLE = "Profil du public"
SUMMARY = "Sexe, âge, niveau, QPV et ZRR des jeunes reçus et partis."

# The columns: CSV key (docs/report-formats.md), French title.
COLUMNS = [
    Column("section", "Section"), Column("categorie", "Catégorie"),
    Column("recus", "Reçus"), Column("recus_pct", "Reçus (%)", percent=True),
    Column("partis", "Partis"), Column("partis_pct", "Partis (%)", percent=True),
]
AGE_BANDS = ["moins de 18", "18-19", "20-24", "25-26", "plus de 26"]
LEVELS = ["VI", "Vbis", "V", "IV", "III", "I-II", "inconnu"]
YES_NO = ["oui", "non", "inconnu"]
PROFILE_SECTIONS = [
    ("sexe", ["F", "M"]),
    ("age", AGE_BANDS),
    ("niveau", LEVELS),
    ("qpv", YES_NO),
    ("zrr", YES_NO),
]
SECTION_TITLES = {"sexe": "Sexe", "age": "Âge", "niveau": "Niveau", "qpv": "QPV", "zrr": "ZRR"}


def age_band(age):
    if age < 18:
        return "moins de 18"
    if age <= 19:
        return "18-19"
    if age <= 24:
        return "20-24"
    if age <= 26:
        return "25-26"
    return "plus de 26"


def profile_level(level):
    old = old_level(level)
    if old in ("I", "II"):
        return "I-II"
    return old if old in LEVELS else "inconnu"


def yes_no(value):
    return {True: "oui", False: "non"}.get(value, "inconnu")


def _profile_groups(queryset, youth_prefix, day_path):
    """One grouped query: (sex, age, level, qpv, zrr) → number of rows (one row per young person)."""
    queryset = annotate_age(queryset, f"{youth_prefix}birth_date", day_path)
    return list(
        queryset.values(
            "age",
            sex=F(f"{youth_prefix}sex"),
            level=F(f"{youth_prefix}qualification_level"),
            qpv=F(f"{youth_prefix}qpv"),
            zrr=F(f"{youth_prefix}zrr"),
        ).annotate(n=Count("pk")).order_by()
    )


def _profile_count(groups):
    counts = {section: dict.fromkeys(categories, 0) for section, categories in PROFILE_SECTIONS}
    for g in groups:
        n = g["n"]
        if g["sex"] in counts["sexe"]:
            counts["sexe"][g["sex"]] += n
        counts["age"][age_band(g["age"])] += n
        counts["niveau"][profile_level(g["level"])] += n
        counts["qpv"][yes_no(g["qpv"])] += n
        counts["zrr"][yes_no(g["zrr"])] += n
    return counts


def report(filters):
    dossiers = filters.dossiers()
    years = filters.years(dossiers, "received_on")
    received = first_per_youth(in_years(dossiers, "received_on", years), "youth", "received_on")
    departed = first_per_youth(in_years(filters.stays(), "departure_date", years), "dossier__youth", "departure_date")
    rec = _profile_count(_profile_groups(received, "youth__", "received_on"))
    dep = _profile_count(_profile_groups(departed, "dossier__youth__", "departure_date"))
    rows = []
    for section, categories in PROFILE_SECTIONS:
        rec_total = sum(rec[section].values())
        dep_total = sum(dep[section].values())
        for category in categories:
            r, d = rec[section][category], dep[section][category]
            rows.append(Row([section, category, r, pct(r, rec_total), d, pct(d, dep_total)]))
        rows.append(Row([section, "total", rec_total, pct(rec_total, rec_total), dep_total, pct(dep_total, dep_total)],
                        SUBTOTAL))
    charts = []
    for section, categories in PROFILE_SECTIONS:
        charts.append({
            "title": SECTION_TITLES[section],
            "labels": categories,
            "datasets": [
                {"label": "Reçus", "data": [rec[section][c] for c in categories]},
                {"label": "Partis", "data": [dep[section][c] for c in categories]},
            ],
        })
    return Report(
        NAME, TITLE, COLUMNS,
        rows, years, filters.describe(), {"type": "bar", "multiple": charts},
        labels={**SECTION_TITLES, "F": "Femmes", "M": "Hommes", "total": "Total"},
        notes=["Reçus : jeunes distincts dont une fiche a été reçue dans la période (âge à la première fiche). "
               "Partis : jeunes distincts partis dans la période (âge au premier départ). "
               "Pourcentages : part du total de la colonne dans la section."],
    )
