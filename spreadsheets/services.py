"""Import batches and exports of spreadsheet files, for every registered kind.

``import_file(kind=..., content=..., filename=..., user=..., dry_run=...)`` reads a file, matches
its headers, runs the kind's resource over every row and returns an :class:`ImportReport`. It is
all or nothing: when any row is bad, nothing is saved and every bad row is listed (spreadsheet
row number, column as written in the file, value, reason in Vietnamese).

``export_rows(kind=..., user=...)`` returns the headers and rows of a kind's list for ``user``;
:mod:`spreadsheets.writers` writes them as ``.xlsx`` or ``.csv``.
"""

import datetime
import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from import_export.results import RowResult
from tablib import Dataset

from common import formats
from common.signals import send_data_changed

from . import batches, files, registry
from . import cells as sheets
from .headers import EXAMPLE_MARKS, HEADER_VARIANTS, NUMBERING_HEADERS
from .month_first import MONTH_FIRST_MIN_CELLS, MonthFirst, month_first_columns  # noqa: F401
from .month_first import read_day_first as _read_day_first
from .rows import collector_paused

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
    #: a required column the file lacks (the preview offers to pick it among the file's)
    missing: bool = False

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
    #: the file's cells as the preview shows them (dates in words: "5 tháng 3 năm 1950")
    shown: list = field(default_factory=list)
    #: how the row was read, when the preview should say it (a code matched without zeros)
    notes: list[str] = field(default_factory=list)
    #: what the officer should check before confirming (a namesake already stored)
    warnings: list[str] = field(default_factory=list)


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
    #: the spreadsheet row of the header (after a title block) and the rows above the data
    #: not read (the title block, a row of column numbers)
    header_row: int = 1
    skipped: list[int] = field(default_factory=list)
    #: ``(row, text)`` of the footer below the data, not read (total, place and date,
    #: signatures)
    footer: list[tuple[int, str]] = field(default_factory=list)
    #: the :class:`Source` of each column read through a merged two-row header
    layouts: list = field(default_factory=list)
    #: date columns whose date cells look month-first (:func:`month_first_columns`)
    month_first: list = field(default_factory=list)
    #: the date columns (headers as written) whose date cells were read day-first
    day_first: list[str] = field(default_factory=list)
    #: template header -> the file's header the officer said it is (column-mapping step)
    renamed: dict = field(default_factory=dict)
    #: required template headers the file lacks (the preview lets the officer pick each
    #: among the ``unread`` columns)
    missing: list[str] = field(default_factory=list)
    #: the :class:`~spreadsheets.models.ImportBatch` recording the import, once saved
    batch: object = None
    #: :func:`headers_key` of the file's headers (the remembered column mapping's key)
    headers_key: str = ""

    @property
    def counts(self) -> dict:
        counted = Counter(r.outcome for r in self.rows)
        return {k: counted.get(k, 0) for k in ("new", "updated", "unchanged", "error")}

    @property
    def noted_rows(self) -> list[RowOutcome]:
        """The rows whose reading the preview explains (``RowOutcome.notes``)."""
        return [r for r in self.rows if r.notes]

    @property
    def warned_rows(self) -> list[RowOutcome]:
        """The rows with warnings, which the officer confirms by importing."""
        return [r for r in self.rows if r.warnings]

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rejected(Exception):
    def __init__(self, report):
        self.report = report


def known_headers(columns) -> frozenset:
    """The ``header_key`` of every header a kind reads (template headers, English aliases,
    variants) and of the numbering headers: what finds the header row of a register."""
    names = [h for column in columns for h in _names(column)] + list(NUMBERING_HEADERS)
    return frozenset(sheets.header_key(n) for n in names)


def _names(column) -> tuple[str, ...]:
    return (column.header, column.alias, *HEADER_VARIANTS.get(column.header, ()))


@dataclass
class Source:
    """Where a template column's value comes from in a file's row.

    ``written`` is the header as written (errors name it); ``indexes`` the file's columns;
    ``how`` is ``"cell"`` (one cell), ``"split"`` (the one filled cell of a merged header's
    sub-columns: ``Năm sinh`` over ``Nam`` | ``Nữ``), ``"label"`` (the sub-column label of
    that filled cell: the sex) or ``"mark"`` (the label of the sub-column marked ``x``;
    ``default`` when none is)."""

    column: object
    written: str
    indexes: tuple[int, ...]
    how: str = "cell"
    labels: tuple[str, ...] = ()
    default: str = ""

    def read(self, values):
        """The cell value of this column in ``values`` (a file row); raises
        :class:`spreadsheets.cells.CellError` for a merged header's cells that contradict."""
        if self.how == "cell":
            return values[self.indexes[0]]
        cells = [values[i] for i in self.indexes]
        if self.how == "mark":
            marked = [label for label, v in zip(self.labels, cells, strict=True) if _marked(v)]
            if len(marked) > 1:
                raise sheets.CellError(
                    _("Chỉ đánh dấu một trong các cột %(cols)s.") % {"cols": _quoted(marked)}
                )
            return marked[0] if marked else self.default
        filled = [
            (label, v)
            for label, v in zip(self.labels, cells, strict=True)
            if not sheets.is_blank(v)
        ]
        if len(filled) > 1:
            if self.how == "label":
                return filled[0][0]  # the "split" source of the same cells reports the error
            raise sheets.CellError(
                _("Chỉ ghi vào một trong các cột %(cols)s.") % {"cols": _quoted(self.labels)}
            )
        if not filled:
            return None
        return filled[0][0] if self.how == "label" else filled[0][1]


def _marked(value) -> bool:
    if sheets.is_blank(value):
        return False
    try:
        return sheets.parse_yes_no(value)
    except sheets.CellError:
        raise sheets.CellError(
            _("Đánh dấu bằng «x» (hoặc để trống), không phải «%(value)s».")
            % {"value": sheets.clean_text(value)}
        ) from None


def _quoted(labels) -> str:
    return ", ".join(f"«{label}»" for label in labels)


def match_headers(
    headers: list[str], columns, sub_headers=(), renamed=None
) -> tuple[list, list, list[str]]:
    """Map the file's headers to the template's columns. Matching ignores case, surrounding
    spaces and NFC/NFD; the English alias and the variants of
    ``spreadsheets.headers.HEADER_VARIANTS`` are accepted. ``sub_headers`` is the second row
    of a merged two-row header (aligned with ``headers``): a header over several sub-columns
    is read by its column's ``split_by`` or ``unmarked`` layout, else each sub-column by its
    own label. ``renamed`` maps template headers to the file's headers the officer said they
    are (the column-mapping step), for columns the file names otherwise.

    Returns ``([Source], errors, unread)``: errors for repeated and missing required columns;
    ``unread``, the headers of the columns not read (numbering columns such as ``STT`` and
    columns the template does not have), which do not stop the import."""
    by_key = {sheets.header_key(name): column for column in columns for name in _names(column)}
    by_header = {column.header: column for column in columns}
    for template, written in (renamed or {}).items():
        if template in by_header and written:
            by_key[sheets.header_key(written)] = by_header[template]
    numbering = {sheets.header_key(h) for h in NUMBERING_HEADERS}
    found: list[Source] = []
    unread: list[str] = []

    def single(index, header, written=None):
        column = by_key.get(sheets.header_key(written or header)) or by_key.get(
            sheets.header_key(header)
        )
        if column is not None:
            found.append(Source(column, written or header, (index,)))
        elif sheets.header_key(header) not in numbering:
            unread.append(written or header)

    width = len(headers)
    for start, end in files.spans(headers, width):
        header = headers[start]
        subs = [(i, sub_headers[i]) for i in range(start, end) if i < len(sub_headers)]
        subs = [(i, label) for i, label in subs if label]
        if not subs:
            single(start, header)
            continue
        column = by_key.get(sheets.header_key(header))
        indexes = tuple(i for i, _label in subs)
        labels = tuple(label for _i, label in subs)
        if column is not None and column.split_by in by_header:
            found.append(Source(column, header, indexes, "split", labels))
            written = f"{header} ({'/'.join(labels)})"
            found.append(Source(by_header[column.split_by], written, indexes, "label", labels))
        elif column is not None and column.unmarked:
            found.append(Source(column, header, indexes, "mark", labels, column.unmarked))
        else:
            for index, label in subs:
                single(index, label, f"{header} · {label}")
    errors, seen = [], {}
    for source in found:
        if source.column.header in seen:
            errors.append(RowError(1, source.written, "", _("Cột này có hai lần trong tệp.")))
        else:
            seen[source.column.header] = source
    for column in columns:
        if column.required and column.header not in seen:
            errors.append(
                RowError(
                    1,
                    column.header,
                    "",
                    _("Thiếu cột bắt buộc «%(header)s» (hoặc «%(alias)s»).")
                    % {"header": column.header, "alias": column.alias},
                    missing=True,
                )
            )
    return list(seen.values()), errors, unread


@collector_paused()
def import_file(
    *,
    kind,
    content,
    filename,
    user=None,
    dry_run=False,
    day_first=(),
    renamed=None,
    upload=None,
    progress=None,
) -> ImportReport:
    """Import ``content`` (bytes of ``filename``: .xlsx, .xls, .ods or .csv) as ``kind``.

    ``user`` scopes the rows (``Club.objects.for_user``) and is recorded in the history;
    ``None`` imports without scoping (command line without ``--user``). ``day_first`` names
    date columns (headers as written) whose date cells were read month-first by the program
    that saved the file (:func:`month_first_columns`): their day and month are swapped back.
    ``renamed`` maps template headers to file headers (:func:`match_headers`). ``upload``
    names a stored upload: it is imported once (a second import of it is refused).
    ``progress(stage, done)`` is told of the rows ``"read"``, ``"checked"`` and ``"written"``
    (a background job's progress bar). With
    ``dry_run`` or any bad row, nothing is saved. Raises KeyError for an unknown kind."""
    report = ImportReport(kind=kind)
    resource = registry.get(kind).resource(user=user)
    resource.progress = progress
    try:
        table = files.read_table(content, filename, known_headers(resource.columns))
    except sheets.FileError as error:
        report.errors.append(RowError(None, "", "", str(error)))
        return report
    report.headers = _display_headers(table)
    report.headers_key = headers_key(report.headers)
    report.encoding = table.encoding
    report.header_row, report.skipped, report.footer = table.header_row, table.skipped, table.footer
    sources, errors, report.unread = match_headers(
        table.headers, resource.columns, table.sub_headers, renamed
    )
    report.renamed = {
        s.column.header: s.written for s in sources if (renamed or {}).get(s.column.header)
    }
    report.missing = [e.column for e in errors if e.missing]
    report.layouts = [s for s in sources if s.how in ("split", "mark")]
    table.rows, report.examples = _without_examples(table)
    if progress:
        progress("read", len(table.rows))
    report.day_first = _read_day_first(table, sources, set(day_first))
    report.month_first = [
        m for m in month_first_columns(table, sources) if m.header not in report.day_first
    ]
    report.errors.extend(errors)
    if errors:
        return report
    try:
        return _import_batch(
            report=report,
            resource=resource,
            table=table,
            sources=sources,
            dry_run=dry_run,
            filename=filename,
            upload=upload,
        )
    except _Rejected as rejected:
        return rejected.report
    except IntegrityError:  # the upload was imported by an earlier confirm (a double click)
        done = batches.batch_of_upload(upload)
        if done is None:
            raise
        report.rows, report.batch = [], done
        report.errors.append(
            RowError(
                None,
                "",
                "",
                _("Tệp này đã được nhập (lô %(batch)s); không nhập lại.") % {"batch": done.pk},
            )
        )
        return report


def headers_key(headers) -> str:
    """The key of a file's headers for the remembered column mapping: the SHA-256 of their
    ``header_key`` (case, spaces and NFC/NFD ignored), in order."""
    joined = "\x1f".join(sheets.header_key(h) for h in headers)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def _shown(value):
    """A cell of a date column for the preview: a date (cell or text) in words, a bare year
    (birth) or anything unreadable as is."""
    if isinstance(value, datetime.date):
        return formats.day_in_words(value)
    if isinstance(value, (int, float)) or value is None:
        return value  # a bare year (birth), or a serial the import reads
    text = sheets.clean_text(value)
    if text.isdigit() and len(text) == 4:
        return text
    try:
        day = sheets.parse_date(value)
    except ValueError:
        return value
    return formats.day_in_words(day) if day else value


def _display_headers(table) -> list[str]:
    """The file's headers for the preview, a merged header's sub-columns as
    ``Năm sinh · Nam``."""
    if not table.sub_headers:
        return table.headers
    shown, parent = [], ""
    for header, sub in zip(table.headers, table.sub_headers, strict=False):
        parent = header or parent
        shown.append(f"{parent} · {sub}" if sub else header)
    return shown


@transaction.atomic
def _import_batch(*, report, resource, table, sources, dry_run, filename, upload=None):
    """Run the resource over ``table`` in one transaction; raise ``_Rejected`` (rolling the
    transaction back) when a row is bad or ``dry_run`` is set. A saved import is recorded as
    an :class:`~spreadsheets.models.ImportBatch` whose reason every history record names."""
    batch = None
    if not dry_run:
        batch = batches.open_batch(
            kind=report.kind, file_name=filename, user=resource.user, upload=upload
        )
        resource.change_reason = batch.reason
    written = {source.column.header: source.written for source in sources}
    layout_errors: dict[int, list[RowError]] = {}
    plain = all(source.how == "cell" for source in sources)
    indexes = [source.indexes[0] for source in sources] if plain else []
    rows = []
    for number, values in table.rows:
        if plain:  # one cell per column: nothing to check across cells
            rows.append([values[i] for i in indexes])
            continue
        row = []
        for source in sources:
            try:
                row.append(source.read(values))
            except sheets.CellError as error:
                cells = " · ".join(sheets.clean_text(values[i]) for i in source.indexes)
                layout_errors.setdefault(number, []).append(
                    RowError(number, source.written, cells, str(error))
                )
                row.append(None)
        rows.append(row)
    # every row has one value per header: the dataset is made without checking each
    dataset = Dataset(*rows, headers=[source.column.header for source in sources])
    resource.row_numbers = [number for number, _values in table.rows]
    result = resource.import_data(
        dataset, dry_run=False, use_transactions=False, raise_errors=False
    )
    if resource.progress:
        resource.progress("checked", len(table.rows))
    for base in result.base_errors:
        report.errors.append(RowError(None, "", "", _base_message(base.error)))
    dates = {i for source in sources if source.column.kind == "date" for i in source.indexes}
    notes, warnings = resource.notes, resource.warnings
    for index, row_result in enumerate(result.rows):
        number, values = table.rows[index]
        outcome = RowOutcome(
            number,
            OUTCOMES.get(row_result.import_type, "error"),
            values,
            list(layout_errors.get(number, ())),
            notes=list(notes.get(number, ())),
            warnings=list(warnings.get(number, ())),
        )
        if row_result.validation_error is not None:
            blamed = {e.column for e in outcome.errors}
            raw = dict(zip(dataset.headers, dataset[index], strict=True))
            for key, messages in row_result.validation_error.update_error_dict({}).items():
                header = resource.column_for(key)
                if written.get(header, header) in blamed:
                    continue  # the merged header's cells already said why
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
    if not report.errors:
        # An accepted reporting period refuses the whole file, naming each row.
        by_row = {outcome.row: outcome for outcome in report.rows}
        for number, message in resource.refused_rows():
            error = RowError(number, "", "", message)
            report.errors.append(error)
            if number in by_row:
                by_row[number].errors.append(error)
                by_row[number].outcome = "error"
    if report.errors or dry_run:
        for outcome in report.rows:  # the preview's cells (an import saved shows none)
            outcome.shown = [_shown(v) if i in dates else v for i, v in enumerate(outcome.values)]
        raise _Rejected(report)
    club_ids = resource.touched_club_ids()
    batches.close_batch(
        batch,
        counts=report.counts,
        writes=resource.writes(),
        club_ids=club_ids,
        province_ids=resource.province_ids_of(club_ids),
    )
    send_data_changed(resource._meta.model, club_ids, since=None)  # rows checked above
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
    """The user's message for an error the import library caught: in Vietnamese (English once
    switched), never the database's own text (English, naming tables and constraints), which
    goes to the log instead."""
    logging.getLogger(__name__).warning("import row failed: %s: %s", type(error).__name__, error)
    if isinstance(error, IntegrityError):
        return _("Dữ liệu trùng hoặc mâu thuẫn với dữ liệu đã có; dòng này không được ghi.")
    return _("Lỗi không mong đợi khi ghi dòng này; dòng này không được ghi.")


def export_rows(*, kind, user) -> tuple[list, list[list], object]:
    """The list of ``kind`` that ``user`` may see, in the import template: ``(headers, rows,
    resource)``; dates are ``date`` objects and money ``int`` (VND)."""
    resource = registry.get(kind).resource(user=user)
    dataset = resource.export(resource.export_queryset())
    return list(dataset.headers), [list(r) for r in dataset], resource
