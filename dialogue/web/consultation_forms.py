"""Forms of the consultation pages. They only shape what was typed; every rule (the window,
who may comment, the span matching the clause text, an empty body, a proposal without wording)
is the service's, and its refusal is put back on the form with `show_refusal`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogue.models import Comment

# The service's field names that the new-comment form shows under another name.
COMMENT_FIELD_NAMES = {"quoted_text": "clause", "span_start": "clause", "span_end": "clause"}


class CommentTextForm(forms.Form):
    """What a comment says: the text of a new comment, and of each new revision of one's own
    (the edit form is this alone)."""

    body = forms.CharField(
        label=_("Your comment"),
        required=False,  # the service says what an empty comment lacks
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    suggested_wording = forms.CharField(
        label=_("Suggested wording"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CommentForm(CommentTextForm):
    """A new comment: on the whole consultation, a clause, or a quoted span of a clause.

    The clause is a plain select so that the form works without JavaScript; the page's script
    fills it, and the span's hidden fields, from a selection in the clause's text."""

    clause = forms.TypedChoiceField(
        label=_("Clause"),
        coerce=int,
        empty_value=None,
        required=False,
    )
    span_start = forms.IntegerField(required=False, widget=forms.HiddenInput)
    span_end = forms.IntegerField(required=False, widget=forms.HiddenInput)
    quoted_text = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind of comment"), choices=Comment.Kind.choices)

    field_order = ["clause", "span_start", "span_end", "quoted_text", "kind", "body"]

    def __init__(self, *args, clauses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.clauses = {clause.id: clause for clause in clauses}
        self.fields["clause"].choices = [
            ("", _("The whole consultation (a general comment)")),
            *((clause.id, f"{clause.key} {clause.heading}") for clause in clauses),
        ]

    def anchor(self) -> dict:
        """The service's anchor arguments from the cleaned data."""
        data = self.cleaned_data
        return {
            "clause": self.clauses.get(data.get("clause")),
            "span_start": data.get("span_start"),
            "span_end": data.get("span_end"),
            "quoted_text": data.get("quoted_text") or "",
        }


class PreviewForm(forms.Form):
    body = forms.CharField(required=False, strip=False)
