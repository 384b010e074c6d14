"""satisfaction — the questionnaire on return, for the stays that ended (return date) in the period.

Respondents: the return questionnaires answered for those stays. For every item, in questionnaire order,
one row per answer option with its count and its percentage of the item's respondents (those who gave
that item an answer); for partner-rated items, the same rows again per host organisation. The items are
those of the current version of each questionnaire in service and of every version answered in the
period, matched across versions by their code (the newest version gives the wording and the order).
Five queries at most, whatever the number of dossiers.
"""
from django.db.models import Count, F, Max, OuterRef, Q, Subquery

from surveys.enums import Horizon, ItemKind
from surveys.models import Answer, QuestionnaireVersion, Response

from .common import Column, Report, Row, in_years, pct

NAME = "satisfaction"
TITLE = "Satisfaction au retour"
SUMMARY = "Questionnaire de satisfaction au retour : répondants, taux de réponse, réponses question par question."
# The columns: CSV key (docs/report-formats.md), French title.
COLUMNS = [Column("section", "Section"), Column("question", "Question"), Column("reponse", "Réponse"),
           Column("nombre", "Nombre"), Column("pourcentage", "Part des répondants (%)", percent=True)]
FREE_TEXT_ROW = "réponses écrites"


def _versions(responses):
    """The versions to lay out, newest first within each questionnaire."""
    latest = (QuestionnaireVersion.objects.filter(questionnaire=OuterRef("questionnaire"))
              .values("questionnaire").annotate(m=Max("number")).values("m"))
    current = Q(questionnaire__active=True, number=Subquery(latest))
    return list(QuestionnaireVersion.objects.filter(current | Q(pk__in=responses.values("version")))
                .select_related("questionnaire").order_by("questionnaire__name", "questionnaire_id", "-number"))


def _layout(versions):
    """[(questionnaire id, section label, item)] in order, each item code once per questionnaire."""
    names = {v.questionnaire_id: v.questionnaire.name for v in versions}
    several = len(names) > 1
    sections = {}  # (questionnaire id, section label) -> {code: item}, in order of first sight
    seen = set()
    for version in versions:
        for section in version.sections():
            label = f"{names[version.questionnaire_id]} — {section['title']}" if several else section["title"]
            items = sections.setdefault((version.questionnaire_id, label), {})
            for item in section["items"]:
                key = (version.questionnaire_id, item["code"])
                if key in seen:
                    # an older version's options the newest no longer offers are still counted
                    known = items.get(item["code"])
                    if known is not None:
                        for option in item["options"]:
                            if list(option) not in known["options"]:
                                known["options"].append(list(option))
                    continue
                seen.add(key)
                items[item["code"]] = {**item, "options": [list(o) for o in item["options"]]}
    return [(qid, label, item) for (qid, label), items in sections.items() for item in items.values()]


def _item_rows(section, label, item, options, respondents, item_respondents, period_respondents):
    if item["kind"] == ItemKind.FREE_TEXT:
        n = sum(options.values())
        return [Row([section, label, FREE_TEXT_ROW, n, pct(n, period_respondents)])]
    return [Row([section, label, option_label, options.get(value, 0), pct(options.get(value, 0), item_respondents)])
            for value, option_label in item["options"]]


def report(filters):
    stays = filters.stays().filter(return_date__isnull=False)
    years = filters.years(stays, "return_date")
    period = in_years(stays, "return_date", years)
    responses = Response.objects.filter(survey__horizon=Horizon.RETURN, survey__dossier__stay__in=period)
    totals = period.aggregate(
        returns=Count("pk", distinct=True),
        respondents=Count("pk", distinct=True, filter=Q(dossier__surveys__horizon=Horizon.RETURN,
                                                       dossier__surveys__response__isnull=False)),
    )
    returns, respondents = totals["returns"], totals["respondents"]
    versions = _versions(responses)
    answers = Answer.objects.filter(response__in=responses).annotate(
        qid=F("response__version__questionnaire_id"), host_id=F("response__survey__dossier__stay__host_id"),
        host_name=F("response__survey__dossier__stay__host__name"))
    # Counts of distinct responses per (questionnaire, item, option, host); per host they add up, as each
    # response is for one stay, hence one host.
    by_option = {}
    for qid, code, value, host_id, host_name, n in (answers.values_list("qid", "item_code", "value", "host_id", "host_name")
                                                    .annotate(n=Count("response", distinct=True)).order_by()):
        by_option[(qid, code, value, (host_id, host_name))] = n
    by_item = {}
    for qid, code, host_id, host_name, n in (answers.values_list("qid", "item_code", "host_id", "host_name")
                                             .annotate(n=Count("response", distinct=True)).order_by()):
        by_item[(qid, code, (host_id, host_name))] = n

    rows = [Row(["ensemble", "répondants", "", respondents, ""]),
            Row(["ensemble", "taux de réponse", "", returns, pct(respondents, returns)])]
    chart_labels, chart_sets = [], {}
    for qid, section, item in _layout(versions):
        code = item["code"]
        options = {}
        hosts = {}
        for (q, c, value, host), n in by_option.items():
            if q == qid and c == code:
                options[value] = options.get(value, 0) + n
                if host[0] is not None:
                    hosts.setdefault(host, {})[value] = n
        item_respondents = sum(n for (q, c, _h), n in by_item.items() if q == qid and c == code)
        rows += _item_rows(section, item["label"], item, options, respondents, item_respondents, respondents)
        if item["partner_rated"]:
            for host in sorted(hosts, key=lambda h: (h[1].casefold(), h[0])):
                rows += _item_rows(section, f"{item['label']} — {host[1]}", item, hosts[host], respondents,
                                   by_item.get((qid, code, host), 0), respondents)
        if item["kind"] == ItemKind.SCALE4:
            chart_labels.append(item["label"])
            for value, option_label in item["options"]:
                chart_sets.setdefault(option_label, []).append(float(pct(options.get(value, 0), item_respondents)))
    chart = {"type": "bar", "horizontal": True, "stacked": True, "labels": chart_labels,
             "datasets": [{"label": label, "data": data} for label, data in chart_sets.items()]}
    return Report(
        NAME, TITLE, COLUMNS, rows, years, filters.describe(), chart,
        labels={"ensemble": "Ensemble"},
        notes=["Séjours terminés dans la période (date de retour, séjours interrompus compris) ; répondants : "
               "questionnaires de satisfaction répondus pour ces séjours (dans l'espace du jeune, ou saisis par "
               "l'équipe au téléphone ou sur papier). Taux de réponse : répondants / retours de la période.",
               "Pourcentage : part des répondants à la question (ceux qui y ont répondu, « ne sait pas » "
               "compris) ; plusieurs choix : un répondant compte pour chaque choix ; texte libre : réponses "
               "écrites, en part des répondants de la période. Questions notant la structure d'accueil : "
               "les mêmes lignes par structure d'accueil."],
    )
