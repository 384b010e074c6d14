"""The structure's reports (``/api/v1/rapports/``): the list of the reports it may read, and one report
with the page's filters — its own structure's figures only (``api.reports``). Audited like every call."""
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response

from . import reports, serializers
from .fiches import Refused
from .views import StructureApiView

YEAR_PARAMETERS = [
    OpenApiParameter("year", int, description="Une année (raccourci de year_from=year_to)"),
    OpenApiParameter("year_from", int, description="Première année de la période (1990 à 2100)"),
    OpenApiParameter("year_to", int, description="Dernière année de la période"),
    OpenApiParameter("scheme", int, description="Un dispositif (son numéro : voir les filtres de /api/v1/rapports/)"),
    OpenApiParameter("funder", str, description="Un financeur (voir les filtres de /api/v1/rapports/)"),
    OpenApiParameter("host", int, description="Rapport « satisfaction » : une structure d'accueil"),
    OpenApiParameter("horizon", int, enum=[6, 12, 36], description="Rapport « outcomes » : situation à 6, 12 ou 36 mois"),
    OpenApiParameter("sponsored", str, enum=["oui", "non"], description="Rapports « funnel » et « profile » : parrainés"),
]


@extend_schema(tags=["rapports"])
class ReportList(StructureApiView):
    @extend_schema(summary="Les rapports de la structure et leurs filtres",
                   responses={200: serializers.ReportSummary(many=True)})
    def get(self, request):
        return Response([
            {**entry, "url": request.build_absolute_uri(reverse("api:report", args=[entry["key"]])),
             "filters": reports.describe_filters(request.auth, entry["key"])}
            for entry in reports.catalogue()
        ])


@extend_schema(tags=["rapports"])
class ReportDetail(StructureApiView):
    @extend_schema(
        summary="Un rapport de la structure (les chiffres de la page « Rapports » de ses conseillers)",
        parameters=YEAR_PARAMETERS,
        responses={200: serializers.Report, 400: OpenApiResponse(serializers.Errors, "Filtre invalide"),
                   404: OpenApiResponse(description="Rapport inconnu")},
    )
    def get(self, request, key):
        if not reports.exists(key):
            raise Http404
        try:
            return Response(reports.build(request.auth, key, request.query_params))
        except Refused as refused:
            return Response({"errors": refused.errors}, status=refused.status)
