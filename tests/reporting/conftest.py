import pytest


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Pages render without a collected manifest (DEBUG is off in tests)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
