"""The trust pulse pages: the page behind a pulse's link, with no login (the token in the
address is the key), and a consultation's pulse for a person signed in.

Server-rendered, in the pulse's language whatever the browser asks for (the pulse was sent
in it), with CSRF protection on its forms (Django's works without a login). An unknown or
altered token answers 404 and an expired pulse 410, each with a page saying what happened
and that nothing was saved. The pages are never cached and send no Referer, so the token
does not leave the page."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect, ensure_csrf_cookie
from django.views.decorators.http import require_http_methods

from commissioning.api.throttling import PulsePageThrottle, throttled_page
from commissioning.errors import Conflict, DomainError, NotFound
from commissioning.web.acting import page
from commissioning.web.forms import show_refusal
from commissioning.web.token_pages import token_page
from dialogue.selectors import consultations as consultation_selectors
from workers import pulses
from workers.models import PulseAnswer
from workers.selectors import pulses as pulse_selectors

SCALE = [
    (1, _("1 – strongly disagree")),
    (2, _("2 – disagree")),
    (3, _("3 – neither agree nor disagree")),
    (4, _("4 – agree")),
    (5, _("5 – strongly agree")),
]


class PulseForm(forms.Form):
    """Five statements, each 1 to 5, and one free text."""

    free_text = forms.CharField(
        label=_("Anything you want to add? (shown without your name)"),
        required=False,
        max_length=pulses.FREE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, statement in zip(PulseAnswer.SCORE_FIELDS, PulseAnswer.STATEMENTS, strict=True):
            self.fields[name] = forms.TypedChoiceField(
                label=statement,
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a number from 1 to 5.")},
            )
        self.order_fields([*PulseAnswer.SCORE_FIELDS, "free_text"])

    @classmethod
    def for_answer(cls, answer: PulseAnswer | None) -> "PulseForm":
        """The form filled with the answer given before, so it can be changed."""
        if answer is None:
            return cls()
        initial = {name: getattr(answer, name) for name in PulseAnswer.SCORE_FIELDS}
        return cls(initial={**initial, "free_text": answer.free_text})

    def statement_fields(self):
        return [self[name] for name in PulseAnswer.SCORE_FIELDS]

    def save_to(self, pulse) -> None:
        """Answer the pulse (or change its answer) through the service; a valid form only."""
        data = self.cleaned_data
        pulses.answer_pulse(
            pulse=pulse,
            scores={name: data[name] for name in PulseAnswer.SCORE_FIELDS},
            free_text=data["free_text"],
        )


def _unknown(request):
    return token_page(request, "pages/pulse/unknown.html", {}, status=404)


def _expired(request, pulse, token):
    return token_page(
        request,
        "pages/pulse/expired.html",
        {"pulse": pulse, "token": token, "language": pulse.language},
        status=410,
        language=pulse.language,
    )


def _context(pulse, token, form, saved=False):
    return {
        "pulse": pulse,
        "token": token,
        "form": form,
        # Only a pulse that has an answer can say it was saved (?saved=1 is just a query).
        "saved": saved and hasattr(pulse, "answer"),
        "occasion": pulse_selectors.occasion_of(pulse),
        "language": pulse.language,
        "answered": hasattr(pulse, "answer"),
    }


@never_cache
@throttled_page(PulsePageThrottle)
@ensure_csrf_cookie
@csrf_protect
@require_http_methods(["GET", "POST"])
def pulse_page(request, token: str):
    pulse = pulse_selectors.pulse_by_token(token)
    if pulse is None:
        return _unknown(request)
    with translation.override(pulse.language):
        if pulse_selectors.is_expired(pulse):
            return _expired(request, pulse, token)
        if request.method == "POST":
            form = PulseForm(request.POST)
            if form.is_valid():
                try:
                    form.save_to(pulse)
                except Conflict:
                    return _expired(request, pulse, token)
                return redirect(f"{request.path}?saved=1")
            return token_page(
                request,
                "pages/pulse/form.html",
                _context(pulse, token, form),
                status=400,
                language=pulse.language,
            )
        form = PulseForm.for_answer(getattr(pulse, "answer", None))
        return token_page(
            request,
            "pages/pulse/form.html",
            _context(pulse, token, form, saved=request.GET.get("saved") == "1"),
            language=pulse.language,
        )


@never_cache
@throttled_page(PulsePageThrottle)
@csrf_protect
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """A confirm button (so that a mail scanner following the link unsubscribes nobody);
    the POST opts out. Works after the pulse expired."""
    pulse = pulse_selectors.pulse_by_token(token)
    if pulse is None:
        return _unknown(request)
    with translation.override(pulse.language):
        done = False
        if request.method == "POST":
            pulses.opt_out(pulse=pulse)
            done = True
        return token_page(
            request,
            "pages/pulse/unsubscribe.html",
            {"pulse": pulse, "token": token, "done": done, "language": pulse.language},
            language=pulse.language,
        )


# --- the trust pulse about a consultation, for a signed-in person -------------------------


@require_http_methods(["GET", "POST"])
@page
def consultation_pulse(request, consultation_id: int):
    """The person's trust pulse about this consultation, answered while signed in: the
    emailed link's token is stored only hashed, so the page finds the pulse by person and
    occasion instead. The same service saves the answer as behind the link."""
    consultation = consultation_selectors.consultation_get(
        person=request.user, consultation_id=consultation_id
    )
    pulse = pulse_selectors.open_pulse_of(person=request.user, occasion=consultation)
    if pulse is None:
        raise NotFound(
            _("You have no open trust pulse about this consultation."), code="no_open_pulse"
        )
    answer = getattr(pulse, "answer", None)
    status = 200
    if request.method == "POST":
        form = PulseForm(request.POST)
        if form.is_valid():
            try:
                form.save_to(pulse)
            except DomainError as error:
                show_refusal(form, error)
                status = error.status
            else:
                messages.success(request, _("Thank you: your answer was saved."))
                return redirect("consultation-page", consultation.pk)
        else:
            status = 400
    else:
        form = PulseForm.for_answer(answer)
    context = {"consultation": consultation, "form": form, "answered": answer is not None}
    return render(request, "pages/pulse/consultation.html", context, status=status)
