"""Spreadsheet resources for training attendance and monitoring visits (templates
``TRAINING_COLUMNS`` and ``MONITORING_COLUMNS``).

Training: one row per club attending a session, keyed by (session code, club); the session's
title, date and level repeat on each of its rows and must agree. Monitoring: keyed by (club,
visit date).
"""

from django.core.exceptions import ValidationError
from django.db.models import CharField, F, Func, Q, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from import_export import fields

from clubs.resources import ClubCell, ClubDayRows, ClubRows
from spreadsheets import cells as sheets
from spreadsheets.registry import register
from spreadsheets.resources import (
    Cell,
    Column,
    SpreadsheetResource,
    date_cell,
    name_cell,
    text_cell,
)

from .models import Attendance, MonitoringVisit, TrainingLevel, TrainingSession, held_on_error

TRAINING_COLUMNS = (
    Column(
        "Mã lớp",
        "session_code",
        True,
        "Cùng mã lớp thì cùng tên lớp, ngày và loại.",
        example="TH-2025-01",
    ),
    Column("Tên lớp", "session_title", True, example="Tập huấn chăm sóc tại nhà"),
    Column("Ngày", "held_on", True, "dd/mm/yyyy", "date", example="10/09/2025"),
    Column(
        "Loại",
        "level",
        False,
        f"Để trống là {sheets.vietnamese_label(TrainingLevel, TrainingLevel.PROVINCIAL)}.",
        choices=TrainingLevel,
        example=sheets.vietnamese_label(TrainingLevel, TrainingLevel.PROVINCIAL),
    ),
    Column("Mã CLB", "club_code", True, example="TQ-2025-001"),
    Column("Số người tham gia", "participants", False, "", "int", example=25),
)

MONITORING_COLUMNS = (
    Column("Mã CLB", "club_code", True, example="TQ-2025-001"),
    Column("Ngày giám sát", "visited_on", True, "dd/mm/yyyy", "date", example="20/10/2025"),
    Column("Người giám sát", "monitor", False, example="Trần Văn Giám"),
    Column("Ghi chú", "notes", False, example="Họp Ban Chủ nhiệm, kiểm tra sổ quỹ"),
)

SESSION_COLUMNS = {"title": "Tên lớp", "held_on": "Ngày", "level": "Loại"}

#: A session code the officer may not use (another province's session, or a national one): the
#: form's message for a taken code, which never says where the code is used.
TAKEN_CODE = _lazy("Mã lớp này đã được dùng; hãy chọn mã khác.")


@register("training", order=4, label=_lazy("Tập huấn"), file_name="danh-sach-tap-huan")
class AttendanceResource(ClubRows, SpreadsheetResource):
    columns = TRAINING_COLUMNS
    title = "Danh sách tham gia tập huấn"
    key_attribute = "club"
    error_columns = {"session": "Mã lớp", **SESSION_COLUMNS}

    session_code = fields.Field(None, "Mã lớp", dehydrate_method="dehydrate_session_code")
    session_title = fields.Field(None, "Tên lớp", dehydrate_method="dehydrate_title")
    held_on = fields.Field(None, "Ngày", dehydrate_method="dehydrate_held_on")
    level = fields.Field(None, "Loại", dehydrate_method="dehydrate_level")
    club = fields.Field("club", "Mã CLB")
    participants = fields.Field("participants", "Số người tham gia", Cell(sheets.parse_count))

    class Meta(SpreadsheetResource.Meta):
        model = Attendance
        fields = ("session_code", "session_title", "held_on", "level", "club", "participants")

    def __init__(self, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        self.fields["club"].widget = ClubCell(self)
        self.parse_level = sheets.choice_parser(TrainingLevel)

    def prepare(self, dataset):
        self.load_clubs(self.column_values(dataset, "Mã CLB"))
        codes = set(self.column_values(dataset, "Mã lớp")) - {""}
        stripped = {k for k in map(sheets.zeros_key, codes) if k is not None}
        sessions = TrainingSession.objects.annotate(
            _bare=Func(F("code"), Value("0"), function="LTRIM", output_field=CharField())
        ).filter(Q(code__in=codes) | Q(_bare__in=stripped))
        self.sessions = {s.code: s for s in sessions}
        # a code of digits also finds the one session whose code has more leading zeros
        self.session_lookup = sheets.CodeLookup(dict(self.sessions))
        self.session_rows = {}  # code -> (title, held_on, level) as the file first gave them
        self.changed_sessions = set()
        self.saved_sessions = []
        self.existing = {
            (a.session_id, a.club_id): a
            for a in Attendance.objects.filter(session__in=list(self.sessions.values()))
        }

    def session_for(self, row, club) -> TrainingSession:
        errors = {}
        code = sheets.parse_code(row.get("Mã lớp"))
        if not code:
            errors["session"] = [_("Ô này không được để trống.")]
        else:
            found, by_zeros = self.session_lookup.find(code)
            if by_zeros:
                self.note(sheets.zeros_note(code, found.code))
                code = found.code  # the stored code stays
        values = {}
        for attr, header, parse in (
            ("title", "Tên lớp", sheets.parse_name),
            ("held_on", "Ngày", sheets.parse_date),
            ("level", "Loại", self.parse_level),
        ):
            if header not in row:
                continue
            try:
                values[attr] = parse(row.get(header))
                if not values[attr] and attr != "level":
                    raise sheets.CellError(_("Ô này không được để trống."))
            except ValueError as error:
                errors[attr] = [str(error)]
        if "held_on" not in errors and (error := held_on_error(values.get("held_on"))):
            errors["held_on"] = [error]
        if errors:
            raise ValidationError(errors)
        if values.get("level") == "":
            values["level"] = TrainingLevel.PROVINCIAL
        first = self.session_rows.setdefault(code, values)
        if first != values:
            raise ValidationError(
                {"session": [_("Tên lớp, ngày hoặc loại khác với dòng trước của cùng mã lớp.")]}
            )
        session = self.sessions.get(code)
        if session is None:
            session = TrainingSession(code=code)
            if self.province_ids is not None:
                session.province_id = club.province_id
            self.sessions[code] = session
        changed = any(getattr(session, k) != v for k, v in values.items())
        if changed and session.pk and not self.may_change(session):
            raise ValidationError({"session": [TAKEN_CODE]})
        if session.pk and not hasattr(session, "_import_before"):
            session._import_before = self.snapshot(session)  # as stored, for the batch's undo
        for key, value in values.items():
            setattr(session, key, value)
        if changed or session.pk is None:
            self.changed_sessions.add(code)
        return session

    def find_instance(self, row):
        self._session = None
        try:
            club = self.club_for(row.get("Mã CLB"))
        except ValueError as error:
            raise ValidationError({"club": [str(error)]}) from None
        session = self.session_for(row, club)
        self._session = session
        if session.pk is None:
            return None
        attendance = self.existing.get((session.pk, club.pk))
        if attendance is None and not self.may_change(session):
            # The form refuses it too (``training.views.can_edit_session``): a club is added
            # only to a session of the officer's provinces. Rows already attending stay valid,
            # so an exported file imports back.
            raise ValidationError({"session": [TAKEN_CODE]})
        return attendance

    def may_change(self, session) -> bool:
        """Whether the importing user may change ``session`` or add clubs to it: an
        administrator any session, an officer those organised by their provinces (not the
        national ones), as on the session form."""
        return self.province_ids is None or session.province_id in self.province_ids

    def row_key(self, row, instance):
        if self._session is None:
            return None
        return (self._session.code, sheets.parse_code(row.get("Mã CLB")))

    def get_or_init_instance(self, instance_loader, row):
        instance, new = super().get_or_init_instance(instance_loader, row)
        if self._session is not None:
            instance.session = self._session
        return instance, new

    def has_extra_changes(self, instance):
        return instance.session.code in self.changed_sessions

    def save_instance(self, instance, is_create, row, **kwargs):
        session = instance.session
        if session.code in self.changed_sessions and not self.failed:
            session._history_user = self.user
            session._change_reason = self.change_reason
            session.save()
            self.record_write(session, getattr(session, "_import_before", None))
            self.saved_sessions.append(session.pk)
            self.changed_sessions.discard(session.code)
            self.sessions[session.code] = session
        instance.session = session
        super().save_instance(instance, is_create, row, **kwargs)

    def export_queryset(self):
        return (
            self.scope(Attendance.objects)
            .select_related("session", "club")
            .order_by("session__held_on", "session__code", "club__code")
        )

    def dehydrate_session_code(self, attendance):
        return attendance.session.code

    def dehydrate_title(self, attendance):
        return attendance.session.title

    def dehydrate_held_on(self, attendance):
        return attendance.session.held_on

    def club_id_of(self, instance):
        return instance.club_id

    def touched_club_ids(self):
        """The clubs of the file, and every club attending a session whose title, date or level
        the file changed."""
        attending = Attendance.objects.filter(session_id__in=self.saved_sessions)
        return super().touched_club_ids() | set(attending.values_list("club_id", flat=True))

    def dehydrate_level(self, attendance):
        return sheets.vietnamese_label(TrainingLevel, attendance.session.level)


@register("monitoring", order=5, label=_lazy("Giám sát"), file_name="danh-sach-giam-sat")
class MonitoringResource(ClubDayRows, SpreadsheetResource):
    columns = MONITORING_COLUMNS
    title = "Danh sách giám sát"
    key_attribute = "visited_on"
    day_header, day_field = "Ngày giám sát", "visited_on"

    club = fields.Field("club", "Mã CLB")
    visited_on = fields.Field("visited_on", "Ngày giám sát", date_cell(True))
    monitor = fields.Field("monitor", "Người giám sát", name_cell(required=False))
    notes = fields.Field("notes", "Ghi chú", text_cell())

    class Meta(SpreadsheetResource.Meta):
        model = MonitoringVisit
        fields = ("club", "visited_on", "monitor", "notes")

    def __init__(self, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        self.fields["club"].widget = ClubCell(self)
