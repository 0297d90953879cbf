"""The project's URLs plus one API view open to anonymous writes: the project has none (its
anonymous endpoints only read), but the anonymous write throttle must hold for the next."""

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import handler404, handler500
from config.urls import urlpatterns as project_urlpatterns


class OpenWriteView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"read": True})

    def post(self, request):
        return Response({"written": True}, status=201)


urlpatterns = [path("api/v1/test-open-write/", OpenWriteView.as_view()), *project_urlpatterns]

__all__ = ["handler404", "handler500", "urlpatterns"]
