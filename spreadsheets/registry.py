"""The kinds of data that spreadsheets import and export, each with its resource.

Each app declares its resources in its own ``resources.py``, decorated with :func:`register`;
``SpreadsheetsConfig.ready`` imports every installed app's ``resources`` module (as the admin
finds ``admin.py``), so this app never names the apps that hold the data.
"""

from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Kind:
    """One kind: ``key`` (in URLs and the command line), ``label`` (shown), ``file_name`` (the
    stem of exported and template files) and ``resource`` (the resource class)."""

    key: str
    label: str
    file_name: str
    resource: type
    order: int = 0


_KINDS: dict[str, Kind] = {}


def register(key: str, *, label, file_name: str, order: int = 0):
    """Class decorator: register the resource class as the kind ``key``."""

    def decorate(resource):
        _KINDS[key] = Kind(key, label, file_name, resource, order)
        return resource

    return decorate


def autodiscover() -> None:
    """Import the ``resources`` module of every installed app (each registers its kinds)."""
    autodiscover_modules("resources")


def kinds() -> list[Kind]:
    """Every registered kind, in the order of the programme's registers."""
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.key))


def get(key: str) -> Kind:
    """The kind ``key``; raises ``KeyError`` for an unknown one."""
    return _KINDS[key]
