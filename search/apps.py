from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("全文检索")

    def ready(self):
        from . import signals  # noqa: F401  (connects the index-keeping receivers)
