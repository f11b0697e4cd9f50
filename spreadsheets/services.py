"""Import batches and exports of spreadsheet files, for every registered kind.

``import_file(kind=..., content=..., filename=..., user=..., dry_run=...)`` reads a file, matches
its headers, runs the kind's resource over every row and returns an :class:`ImportReport`. It is
all or nothing: when any row is bad, nothing is saved and every bad row is listed (spreadsheet
row number, column as written in the file, value, reason in Vietnamese).

``export_rows(kind=..., user=...)`` returns the headers and rows of a kind's list for ``user``;
:mod:`spreadsheets.writers` writes them as ``.xlsx`` or ``.csv``.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from import_export.results import RowResult
from tablib import Dataset

from common.signals import send_data_changed

from . import batches, registry
from . import cells as sheets
from .headers import EXAMPLE_MARKS, HEADER_VARIANTS, NUMBERING_HEADERS

OUTCOMES = {
    RowResult.IMPORT_TYPE_NEW: "new",
    RowResult.IMPORT_TYPE_UPDATE: "updated",
    RowResult.IMPORT_TYPE_SKIP: "unchanged",
    RowResult.IMPORT_TYPE_ERROR: "error",
    RowResult.IMPORT_TYPE_INVALID: "error",
}


@dataclass
class RowError:
    """One bad cell or row: ``row`` is the spreadsheet row (None for the file), ``column`` the
    header as written in the file (``""`` for the whole row)."""

    row: int | None
    column: str
    value: str
    reason: str

    def __str__(self):
        where = _("Dòng %(row)s") % {"row": self.row} if self.row else _("Tệp")
        if self.column:
            where += _(", cột «%(col)s»") % {"col": self.column}
        if self.value:
            where += _(", giá trị «%(value)s»") % {"value": self.value}
        return f"{where}: {self.reason}"


@dataclass
class RowOutcome:
    row: int
    outcome: str  # "new", "updated", "unchanged" or "error"
    values: list
    errors: list[RowError] = field(default_factory=list)
    #: how the row was read, when the preview should say it (a code matched without zeros)
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import did or would do. ``imported`` is True only when the rows were saved."""

    kind: str
    headers: list[str] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    imported: bool = False
    #: headers of the file's columns that were not read (numbering, unknown)
    unread: list[str] = field(default_factory=list)
    #: the text encoding of a CSV file (``""`` for workbooks)
    encoding: str = ""
    #: spreadsheet rows skipped as the template's example ("Ví dụ" in the numbering column)
    examples: list[int] = field(default_factory=list)
    #: the :class:`~spreadsheets.models.ImportBatch` recording the import, once saved
    batch: object = None

    @property
    def counts(self) -> dict:
        counted = Counter(r.outcome for r in self.rows)
        return {k: counted.get(k, 0) for k in ("new", "updated", "unchanged", "error")}

    @property
    def noted_rows(self) -> list[RowOutcome]:
        """The rows whose reading the preview explains (``RowOutcome.notes``)."""
        return [r for r in self.rows if r.notes]

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rejected(Exception):
    def __init__(self, report):
        self.report = report


def match_headers(headers: list[str], columns) -> tuple[dict, list[RowError], list[str]]:
    """Map each file header (index) to its template column. Matching ignores case,
    surrounding spaces and NFC/NFD; the English alias and the variants of
    ``spreadsheets.headers.HEADER_VARIANTS`` are accepted. Returns
    ``({index: Column}, errors, unread)``: errors for repeated and missing required columns;
    ``unread``, the headers of the columns not read (numbering columns such as ``STT`` and
    columns the template does not have), which do not stop the import."""
    by_key = {}
    for column in columns:
        for name in (column.header, column.alias, *HEADER_VARIANTS.get(column.header, ())):
            by_key[sheets.header_key(name)] = column
    numbering = {sheets.header_key(h) for h in NUMBERING_HEADERS}
    mapping, errors, seen, unread = {}, [], {}, []
    for index, header in enumerate(headers):
        column = by_key.get(sheets.header_key(header))
        if not header:
            continue
        if column is None:
            if sheets.header_key(header) not in numbering:
                unread.append(header)
        elif column.header in seen:
            errors.append(RowError(1, header, "", _("Cột này có hai lần trong tệp.")))
        else:
            seen[column.header] = header
            mapping[index] = column
    for column in columns:
        if column.required and column.header not in seen:
            errors.append(
                RowError(
                    1,
                    column.header,
                    "",
                    _("Thiếu cột bắt buộc «%(header)s» (%(alias)s).")
                    % {"header": column.header, "alias": column.alias},
                )
            )
    return mapping, errors, unread


def import_file(*, kind, content, filename, user=None, dry_run=False) -> ImportReport:
    """Import ``content`` (bytes of ``filename``: .xlsx, .xls, .ods or .csv) as ``kind``.

    ``user`` scopes the rows (``Club.objects.for_user``) and is recorded in the history;
    ``None`` imports without scoping (command line without ``--user``). With ``dry_run`` or
    any bad row, nothing is saved. Raises KeyError for an unknown kind."""
    report = ImportReport(kind=kind)
    resource = registry.get(kind).resource(user=user)
    try:
        table = sheets.read_table(content, filename)
    except sheets.FileError as error:
        report.errors.append(RowError(None, "", "", str(error)))
        return report
    report.headers = table.headers
    report.encoding = table.encoding
    mapping, errors, report.unread = match_headers(table.headers, resource.columns)
    table.rows, report.examples = _without_examples(table)
    report.errors.extend(errors)
    if errors:
        return report
    try:
        return _import_batch(
            report=report,
            resource=resource,
            table=table,
            mapping=mapping,
            dry_run=dry_run,
            filename=filename,
        )
    except _Rejected as rejected:
        return rejected.report


@transaction.atomic
def _import_batch(*, report, resource, table, mapping, dry_run, filename):
    """Run the resource over ``table`` in one transaction; raise ``_Rejected`` (rolling the
    transaction back) when a row is bad or ``dry_run`` is set. A saved import is recorded as
    an :class:`~spreadsheets.models.ImportBatch` whose reason every history record names."""
    batch = None
    if not dry_run:
        batch = batches.open_batch(kind=report.kind, file_name=filename, user=resource.user)
        resource.change_reason = batch.reason
    written = {column.header: table.headers[i] for i, column in mapping.items()}
    order = list(mapping)
    dataset = Dataset(headers=[mapping[i].header for i in order])
    for _number, values in table.rows:
        dataset.append([values[i] for i in order])
    resource.row_numbers = [number for number, _values in table.rows]
    result = resource.import_data(
        dataset, dry_run=False, use_transactions=False, raise_errors=False
    )
    for base in result.base_errors:
        report.errors.append(RowError(None, "", "", _base_message(base.error)))
    for index, row_result in enumerate(result.rows):
        number, values = table.rows[index]
        outcome = RowOutcome(number, OUTCOMES.get(row_result.import_type, "error"), values)
        outcome.notes = list(resource.notes.get(number, []))
        raw = dict(zip(dataset.headers, dataset[index], strict=True))
        if row_result.validation_error is not None:
            for key, messages in row_result.validation_error.update_error_dict({}).items():
                header = resource.column_for(key)
                value = sheets.clean_text(raw.get(header)) if header else ""
                for message in messages:
                    text = message.message % message.params if message.params else message.message
                    outcome.errors.append(
                        RowError(number, written.get(header, header), value, str(text))
                    )
        for error in row_result.errors:
            outcome.errors.append(RowError(number, "", "", _base_message(error.error)))
        if outcome.errors:
            outcome.outcome = "error"
        report.errors.extend(outcome.errors)
        report.rows.append(outcome)
    if report.errors or dry_run:
        raise _Rejected(report)
    club_ids = resource.touched_club_ids()
    batches.close_batch(
        batch,
        counts=report.counts,
        writes=resource.writes(),
        club_ids=club_ids,
        province_ids=resource.province_ids_of(club_ids),
    )
    send_data_changed(resource._meta.model, club_ids)
    report.batch = batch
    report.imported = True
    return report


def _without_examples(table) -> tuple[list, list[int]]:
    """``table``'s rows without the template's example rows, which carry the mark ``Ví dụ``
    (``Example``) in a numbering column (``STT``): never skipped by their position. Returns the
    rows kept and the row numbers skipped."""
    numbering = {sheets.header_key(h) for h in NUMBERING_HEADERS}
    columns = [i for i, h in enumerate(table.headers) if sheets.header_key(h) in numbering]
    marks = {sheets.header_key(m) for m in EXAMPLE_MARKS}
    kept, skipped = [], []
    for number, values in table.rows:
        if any(sheets.header_key(sheets.clean_text(values[i])) in marks for i in columns):
            skipped.append(number)
        else:
            kept.append((number, values))
    return kept, skipped


def _base_message(error) -> str:
    if isinstance(error, IntegrityError):
        return _("Dữ liệu vi phạm ràng buộc của cơ sở dữ liệu (%(detail)s).") % {
            "detail": str(error).splitlines()[0][:200]
        }
    return _("Lỗi không mong đợi: %(detail)s") % {"detail": str(error)[:200]}


def export_rows(*, kind, user) -> tuple[list, list[list], object]:
    """The list of ``kind`` that ``user`` may see, in the import template: ``(headers, rows,
    resource)``; dates are ``date`` objects and money ``int`` (VND)."""
    resource = registry.get(kind).resource(user=user)
    dataset = resource.export(resource.export_queryset())
    return list(dataset.headers), [list(r) for r in dataset], resource
