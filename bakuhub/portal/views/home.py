from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bakuhub.partners import selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            "pipeline": selectors.membership_pipeline(user=request.user),
            "events": selectors.hub_events(),
            "initiatives": selectors.initiative_list(),
        },
    )
