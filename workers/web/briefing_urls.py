"""Pages of one journey (filled in by its module)."""

urlpatterns: list = []
