"""The trust pulse results: read through the policy's visible_pulses, aggregated by
workers.selectors.pulses.pulse_trend (the same figures as the politicians' briefing)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from workers.api.pulse_serializers import TrustResultsQuerySerializer, TrustResultsSerializer
from workers.selectors import pulses


class TrustResultsView(APIView):
    """Per statement and calendar quarter: number of answers, mean and distribution; no
    figure for fewer than three answers ("too few answers"); free texts without names."""

    @extend_schema(
        parameters=[
            OpenApiParameter(name, int, required=False)
            for name in ("programme", "arena", "purchaser", "provider")
        ],
        responses=TrustResultsSerializer,
        operation_id="trust_results",
    )
    def get(self, request):
        query = TrustResultsQuerySerializer(
            data=request.query_params.dict(), context={"request": request}
        )
        query.is_valid(raise_exception=True)
        scope = query.validated_data
        visible = pulses.results_scope(person=request.user, **scope)
        data = {
            "scope": scope,
            "min_answers": pulses.MIN_ANSWERS,
            "quarters": pulses.pulse_trend(visible),
        }
        return Response(TrustResultsSerializer(data).data)
