"""Spreadsheet resource for members (template ``MEMBER_COLUMNS``), and the index of members by
code and by name that every file naming a member uses (:class:`MemberIndex`).

The key is (club, member code), or (club, full name, birth year) when the code is blank. The
household status is a dated assessment: a new date adds one to the member's history, also when
the status is the same (a re-certification), and the same date corrects it (the status at D is
the latest assessment on or before D). Without a date the status is taken as assessed on the
joining date, and then repeating the status in force there changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from import_export import fields
from simple_history.utils import bulk_update_with_history

from accounts.access import mask_national_id, mask_phone
from clubs.resources import ClubCell, ClubRows
from spreadsheets import cells as sheets
from spreadsheets.bulk import create_with_history
from spreadsheets.registry import register
from spreadsheets.resources import (
    Cell,
    Column,
    KeepMaskedField,
    SpreadsheetResource,
    choice_cell,
    code_cell,
    date_cell,
    name_cell,
    text_cell,
    yes_no_cell,
)
from spreadsheets.rows import instance_maker

from .models import (
    HouseholdAssessment,
    HouseholdStatus,
    LeaveReason,
    Member,
    Sex,
    assessment_change,
    name_key,
    namesake_warning,
)

YES_NO_HELP = "Cũng nhận x và 1 (có), 0 và ô trống (không)."

MEMBER_COLUMNS = (
    Column("Mã CLB", "club_code", True, example="TQ-2025-001"),
    Column(
        "Mã thành viên",
        "member_code",
        False,
        "Duy nhất trong CLB. Để trống: dòng khớp đúng một thành viên cùng họ tên và năm sinh "
        "thì cập nhật người đó, nếu không thì là thành viên mới và được cấp mã (TV1, TV2…).",
        example="001",
    ),
    Column("Họ và tên", "full_name", True, example="Nguyễn Thị Lan"),
    Column("Giới tính", "sex", True, choices=Sex, example=sheets.vietnamese_label(Sex, Sex.FEMALE)),
    # A register may write the birth year under "Nam" or "Nữ" (split_by), and mark the
    # household status with an "x" under each status (unmarked: none marked).
    Column(
        "Ngày sinh",
        "birth_date",
        True,
        "dd/mm/yyyy, hoặc chỉ năm sinh (1948).",
        "date",
        split_by="Giới tính",
        example="03/04/1950",
    ),
    Column(
        "Hoàn cảnh",
        "household_status",
        True,
        choices=HouseholdStatus,
        unmarked=sheets.vietnamese_label(HouseholdStatus, HouseholdStatus.NONE),
        example=sheets.vietnamese_label(HouseholdStatus, HouseholdStatus.POOR),
    ),
    Column(
        "Ngày đánh giá hoàn cảnh",
        "status_assessed_on",
        False,
        "Mặc định là ngày tham gia; ngày mới thêm một lần đánh giá, cùng ngày thì sửa.",
        "date",
    ),
    Column("Ngày tham gia", "joined_on", True, "dd/mm/yyyy", "date", example="01/08/2025"),
    Column("Ngày rời CLB", "left_on", False, "dd/mm/yyyy", "date"),
    Column("Lý do rời CLB", "leave_reason", False, choices=LeaveReason),
    Column(
        "Ban Chủ nhiệm",
        "board_member",
        False,
        YES_NO_HELP,
        choices=sheets.YES_NO,
        example=sheets.YES_NO[0],
    ),
    Column(
        "Tình nguyện viên chăm sóc tại nhà",
        "home_care_volunteer",
        False,
        YES_NO_HELP,
        choices=sheets.YES_NO,
        example=sheets.YES_NO[1],
    ),
    Column("Số định danh", "national_id", False, "12 chữ số.", example="008150001234"),
    Column("Số điện thoại", "phone", False, example="0912345678"),
    Column("Ghi chú", "note", False),
)

SEX_SPELLINGS = {"m": Sex.MALE, "f": Sex.FEMALE, "nu": Sex.FEMALE}
parse_status = sheets.choice_parser(HouseholdStatus)


class MemberIndex:
    """The members of some clubs, found by (club id, member code) or by (club id, full name,
    birth year): the look-up of every file that names a member (members, loans)."""

    def __init__(self, clubs):
        """``clubs``: the ``Club`` objects whose members to index (each member's ``club`` is set
        to its ``Club`` object, so that no query follows)."""
        by_id = {c.pk: c for c in clubs}
        by_code, self.by_name = {}, {}
        for m in Member.objects.filter(club_id__in=list(by_id)):
            m.club = by_id[m.club_id]
            if m.code:
                by_code.setdefault(m.club_id, {})[m.code] = m
            self.by_name.setdefault((m.club_id, name_key(m.full_name), m.birth_year), []).append(m)
        self.by_code = {pk: sheets.CodeLookup(codes) for pk, codes in by_code.items()}

    def with_code(self, club_id: int, code: str, resource=None) -> Member | None:
        """The member of the club with ``code``, or with the one code equal to it once leading
        zeros are ignored (``spreadsheets.cells.CodeLookup``), which ``resource`` then notes
        for the preview."""
        lookup = self.by_code.get(club_id)
        if lookup is None:
            return None
        member, by_zeros = lookup.find(code)
        if by_zeros and resource is not None:
            resource.note(sheets.zeros_note(code, member.code))
        return member

    def named(self, club_id: int, full_name, birth_year: int | None) -> list[Member]:
        """The members of the club with that full name (compared as :func:`name_key`) and birth
        year."""
        return self.by_name.get((club_id, name_key(full_name), birth_year), [])


@register("members", order=2, label=_lazy("Thành viên"), file_name="danh-sach-thanh-vien")
class MemberResource(ClubRows, SpreadsheetResource):
    columns = MEMBER_COLUMNS
    title = "Danh sách thành viên"
    key_attribute = "code"
    error_columns = {
        "birth": "Ngày sinh",
        "birth_day": "Ngày sinh",
        "birth_month": "Ngày sinh",
        "household_status": "Hoàn cảnh",
        "status_assessed_on": "Ngày đánh giá hoàn cảnh",
        "left_on": "Ngày rời CLB",
    }

    club = fields.Field("club", "Mã CLB")
    code = fields.Field("code", "Mã thành viên", code_cell())
    full_name = fields.Field("full_name", "Họ và tên", name_cell())
    sex = fields.Field("sex", "Giới tính", choice_cell(Sex, True, SEX_SPELLINGS))
    birth = fields.Field(None, "Ngày sinh", dehydrate_method="dehydrate_birth")
    household_status = fields.Field(None, "Hoàn cảnh", dehydrate_method="dehydrate_status")
    status_assessed_on = fields.Field(
        None, "Ngày đánh giá hoàn cảnh", dehydrate_method="dehydrate_assessed_on"
    )
    joined_on = fields.Field("joined_on", "Ngày tham gia", date_cell(True))
    left_on = fields.Field("left_on", "Ngày rời CLB", date_cell())
    leave_reason = fields.Field("leave_reason", "Lý do rời CLB", choice_cell(LeaveReason))
    is_board_member = fields.Field("is_board_member", "Ban Chủ nhiệm", yes_no_cell())
    is_home_care_volunteer = fields.Field(
        "is_home_care_volunteer", "Tình nguyện viên chăm sóc tại nhà", yes_no_cell()
    )
    national_id = KeepMaskedField("national_id", "Số định danh", Cell(sheets.parse_national_id))
    phone = fields.Field("phone", "Số điện thoại", Cell(sheets.parse_phone))
    note = fields.Field("note", "Ghi chú", text_cell())

    class Meta(SpreadsheetResource.Meta):
        model = Member
        fields = (
            "club",
            "code",
            "full_name",
            "sex",
            "birth",
            "household_status",
            "status_assessed_on",
            "joined_on",
            "left_on",
            "leave_reason",
            "is_board_member",
            "is_home_care_volunteer",
            "national_id",
            "phone",
            "note",
        )

    def __init__(self, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        self.fields["club"].widget = ClubCell(self)
        self.pending_assessments = []
        self._read_row, self._read = None, None

    def snapshot(self, instance):
        data = super().snapshot(instance)
        for key in ("search_key", "given_name_key"):
            data.pop(key, None)
        return data

    def prepare(self, dataset):
        self.this_year = timezone.localdate().year
        self.load_clubs(self.column_values(dataset, "Mã CLB"))
        self.file_codes = set(self.column_values(dataset, "Mã thành viên")) - {""}
        self.members = MemberIndex(self.clubs.values())
        self.assessments = {}
        club_ids = [c.pk for c in self.clubs.values()]
        for a in HouseholdAssessment.objects.filter(member__club__in=club_ids):
            self.assessments.setdefault(a.member_id, {})[a.assessed_on] = a

    def _key_parts(self, row):
        """``(club, code, full name, birth year)`` of ``row``; the club and the birth date are
        read once per row (``find_instance``, ``row_key`` and ``import_extra`` ask for them)."""
        if self._read_row is not row:
            club = self.club_for(row.get("Mã CLB"))
            birth = sheets.parse_birth(row.get("Ngày sinh"), self.this_year)
            self._read_row, self._read = row, (club, birth)
        club, birth = self._read
        code = sheets.parse_code(row.get("Mã thành viên"))
        return club, code, row.get("Họ và tên"), birth[0] if birth else None

    def find_instance(self, row):
        try:
            club, code, name, year = self._key_parts(row)
        except ValueError:
            return None  # the cells' own errors are reported by the fields
        found = self.members.with_code(club.pk, code, self) if code else None
        if found is not None:
            if found.code != code:  # matched without its leading zeros: the stored code stays
                row["Mã thành viên"] = found.code
            return found
        if code:
            return None  # a new member with that code
        candidates = self.members.named(club.pk, name, year)
        if len(candidates) > 1:
            message = _(
                "Có %(n)s thành viên cùng họ tên và năm sinh trong CLB (mã %(codes)s): hãy ghi "
                "mã thành viên."
            ) % {"n": len(candidates), "codes": ", ".join(m.code for m in candidates)}
            raise ValidationError({"code": [message]})
        if candidates:
            row["Mã thành viên"] = candidates[0].code
            self.note(
                _(
                    "không có mã thành viên: cập nhật thành viên mã «%(code)s» cùng họ tên và năm "
                    "sinh."
                )
                % {"code": candidates[0].code}
            )
            return candidates[0]
        return None

    def row_key(self, row, instance):
        try:
            club, code, name, year = self._key_parts(row)
        except ValueError:
            return None
        return (club.pk, "code", code) if code else (club.pk, "name", name_key(name), year)

    def import_extra(self, instance, row, errors):
        try:
            birth = (
                self._read[1]
                if self._read_row is row
                else sheets.parse_birth(row.get("Ngày sinh"), self.this_year)
            )
            if birth is None:
                raise sheets.CellError(_("Ô này không được để trống."))
            instance.birth_year, instance.birth_month, instance.birth_day = birth
        except ValueError as error:
            errors["birth"] = [str(error)]
        try:
            status = parse_status(row.get("Hoàn cảnh"))
            if not status:
                raise sheets.CellError(_("Ô này không được để trống."))
        except ValueError as error:
            errors["household_status"] = [str(error)]
            status = None
        assessed_on = None
        if "Ngày đánh giá hoàn cảnh" in row:
            try:
                assessed_on = sheets.parse_date(row.get("Ngày đánh giá hoàn cảnh"))
            except ValueError as error:
                errors["status_assessed_on"] = [str(error)]
            else:
                error = HouseholdAssessment.date_error(assessed_on)
                if error:
                    errors["status_assessed_on"] = [str(error)]
        # (day, status, whether the file gave the day)
        instance._assessment = (assessed_on or instance.joined_on, status, assessed_on is not None)
        if not errors:
            instance.normalise()

    def assessment_change(self, instance):
        """What the row's assessment does to the stored history (``"add"``, ``"correct"`` or
        ``None``; :func:`members.models.assessment_change`)."""
        assessed_on, status, dated = instance._assessment
        stored = {on: a.status for on, a in self.assessments.get(instance.pk, {}).items()}
        return assessment_change(stored, assessed_on, status, dated=dated)

    def has_extra_changes(self, instance):
        return self.assessment_change(instance) is not None

    def save_instance(self, instance, is_create, row, **kwargs):
        instance._file_row = self.row_number
        self.pending_assessments.append(instance)
        super().save_instance(instance, is_create, row, **kwargs)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """New members: each without a code gets the next assigned code of its club (none a
        code of the file's rows); each whose name and birth year a stored member of its club
        or province has is warned about in the preview (the same person twice?)."""
        if self.create_instances and not self.failed:
            new = list(self.create_instances)
            uncoded = {id(m) for m in new if not m.code}
            Member.objects.assign_codes(new, avoid=self.file_codes)
            people = [(m.club, m.full_name, m.birth_year) for m in new]
            for member, others in zip(new, Member.objects.namesakes(people), strict=True):
                if id(member) in uncoded:
                    self.notes.setdefault(member._file_row, []).append(
                        _("thành viên mới, được cấp mã «%(code)s».") % {"code": member.code}
                    )
                if others:
                    self.warn(member._file_row, namesake_warning(others))
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)

    def after_import(self, dataset, result, **kwargs):
        if self.failed:
            return
        new, changed = [], []
        make = instance_maker(HouseholdAssessment)
        member_field = HouseholdAssessment._meta.get_field("member")
        # The spreadsheet row of each member's assessment (``member_id`` alone is set on the
        # new assessments, so their member is not the row's instance).
        rows = {
            member.pk: getattr(member, "_import_row", None) for member in self.pending_assessments
        }
        for member in self.pending_assessments:
            change = self.assessment_change(member)
            assessed_on, status, _dated = member._assessment
            if change == "add":
                assessment = make(member_id=member.pk, assessed_on=assessed_on, status=status)
                # The row's member, known: the lock's check reads the assessment's club from it
                # (a query per assessment otherwise).
                member_field.set_cached_value(assessment, member)
                new.append(assessment)
            elif change == "correct":
                stored = self.assessments[member.pk][assessed_on]
                before = self.snapshot(stored)
                stored.status = status
                changed.append(stored)
                self.record_write(stored, before, row=rows.get(member.pk))
        options = {"default_user": self.user, "default_change_reason": self.change_reason}
        if new:
            created = create_with_history(new, HouseholdAssessment, batch_size=2000, **options)
            for assessment in created:
                self.record_write(assessment, None, row=rows.get(assessment.member_id))
        if changed:
            bulk_update_with_history(
                changed, HouseholdAssessment, ["status"], batch_size=2000, **options
            )

    # --- export -----------------------------------------------------------------------------

    def export_queryset(self):
        return (
            self.scope(Member.objects)
            .select_related("club")
            .prefetch_related(
                Prefetch(
                    "assessments",
                    queryset=HouseholdAssessment.objects.order_by("-assessed_on"),
                    to_attr="assessment_list",
                )
            )
            .order_by("club__code", "code", "pk")
        )

    def dehydrate_birth(self, member):
        if member.birth_is_year_only:
            return member.birth_year
        if member.birth_day is None:
            return member.birth_year
        return member.birth_date

    def _latest(self, member):
        items = getattr(member, "assessment_list", None)
        if items is None:
            items = list(member.assessments.order_by("-assessed_on"))
        return items[0] if items else None

    def dehydrate_status(self, member):
        latest = self._latest(member)
        return sheets.vietnamese_label(HouseholdStatus, latest.status if latest else "none")

    def dehydrate_assessed_on(self, member):
        latest = self._latest(member)
        return latest.assessed_on if latest else None

    def dehydrate_national_id(self, member):
        return mask_national_id(member.national_id, self.user)

    def dehydrate_phone(self, member):
        return mask_phone(member.phone, self.user)

    def club_id_of(self, instance):
        return instance.club_id
