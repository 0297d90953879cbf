import django_filters

from workers.models import Document


class DocumentFilter(django_filters.FilterSet):
    class Meta:
        model = Document
        fields = ["kind", "status", "language"]
