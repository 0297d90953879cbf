from commissioning.api.filters import VisibleFilterSet
from workers.models import Document


class DocumentFilter(VisibleFilterSet):
    class Meta:
        model = Document
        fields = ["kind", "status", "language"]
