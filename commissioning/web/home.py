"""The home page: what needs the signed-in person now, by role."""

from django.shortcuts import render

from commissioning.web.acting import page


@page
def home(request):
    return render(request, "web/home.html", {})
