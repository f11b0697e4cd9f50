"""Spreadsheet resource for clubs, and the club look-ups every kind whose rows name a club uses.

Clubs are keyed by code (the contract's template ``CLUB_COLUMNS``); administrative units are read
in the era of the founding date. A club code outside the user's provinces gets the same message
as a code that does not exist, and a taken code never says where it is taken.
"""

from django.db.models import CharField, F, Func, Q, Value
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from import_export import fields

from spreadsheets import cells as sheets
from spreadsheets.registry import register
from spreadsheets.resources import (
    Cell,
    Column,
    SpreadsheetResource,
    code_cell,
    date_cell,
    name_cell,
    text_cell,
)

from .models import REFORM_DATE, Club, Commune, CommuneSuccession, District, Era, Province


class ClubRows:
    """For resources whose rows name a club by its ``Mã CLB``: :meth:`load_clubs` once per
    file, then :meth:`club_for` per row, among the clubs the user may see."""

    def load_clubs(self, codes):
        """Fill ``self.clubs`` (code -> Club) with the clubs of ``codes`` the user may see, and
        those whose code equals a code of digits of ``codes`` once leading zeros are ignored
        (``spreadsheets.cells.CodeLookup``)."""
        codes = set(codes) - {""}
        stripped = {k for k in map(sheets.zeros_key, codes) if k is not None}
        clubs = self.scope(Club.objects).annotate(
            _bare=Func(F("code"), Value("0"), function="LTRIM", output_field=CharField())
        )
        query = Q(code__in=codes)
        if stripped:
            query |= Q(_bare__in=stripped)
        self.clubs = {c.code: c for c in clubs.filter(query)}
        self.club_lookup = sheets.CodeLookup(self.clubs)
        self._clubs_read = {}

    def club_for(self, value) -> Club:
        """The club with code ``value`` among those the user may see (a code of digits also
        finds the one club whose code has leading zeros more). A code outside the user's
        provinces gets the same message as one that does not exist. Each distinct cell value
        is looked up once per file (rows name the same few clubs)."""
        try:
            code, club, by_zeros = self._clubs_read[value]
        except (KeyError, TypeError):  # TypeError: a value that cannot be a key
            code = sheets.parse_code(value)
            club, by_zeros = self.club_lookup.find(code) if code else (None, False)
            if value.__hash__ is not None:
                self._clubs_read[value] = code, club, by_zeros
        if not code:
            raise sheets.CellError(_("Ô này không được để trống."))
        if by_zeros:
            self.note(sheets.zeros_note(code, club.code))
        if club is None:
            raise sheets.CellError(
                _("Không có CLB mã «%(code)s» trong các tỉnh bạn được quản lý.") % {"code": code}
            )
        return club

    def province_ids_of(self, club_ids):
        return province_ids_of_clubs(club_ids)


class ClubDayRows(ClubRows):
    """For kinds of one record per club and day (monitoring visits, meetings): the key is
    (``Mã CLB``, the column ``day_header``, stored in the model's ``day_field``)."""

    day_header = ""
    day_field = ""

    def prepare(self, dataset):
        self.load_clubs(self.column_values(dataset, "Mã CLB"))
        model = self._meta.model
        stored = model.objects.filter(club__in=[c.pk for c in self.clubs.values()])
        self.existing = {(r.club_id, getattr(r, self.day_field)): r for r in stored}

    def _key(self, row):
        try:
            return self.club_for(row.get("Mã CLB")).pk, sheets.parse_date(row.get(self.day_header))
        except ValueError:
            return None

    def find_instance(self, row):
        key = self._key(row)
        return self.existing.get(key) if key else None

    def row_key(self, row, instance):
        return self._key(row)

    def export_queryset(self):
        rows = self.scope(self._meta.model.objects).select_related("club")
        return rows.order_by("club__code", self.day_field)

    def club_id_of(self, instance):
        return instance.club_id


class ClubCell(Cell):
    """The club of a row by its code (``resource.club_for``); exported as the club's code."""

    def __init__(self, resource):
        super().__init__(resource.club_for, required=True, render=lambda club: club.code)


# --- administrative units -------------------------------------------------------------------

_PREFIXES = (
    "thành phố ",
    "tỉnh ",
    "quận ",
    "huyện ",
    "thị xã ",
    "thị trấn ",
    "xã ",
    "phường ",
    "đặc khu ",
)


def _bare(name: str) -> str:
    key = sheets.header_key(name)
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


class Units:
    """Look-ups of provinces, districts and communes by official name or code within one era
    (kept in memory for one import)."""

    def __init__(self):
        self.provinces = {}
        for p in Province.objects.all():
            era = self.provinces.setdefault(p.era, {})
            era[("code", p.code)] = p
            for name in (p.name, p.short_name):
                era.setdefault(("name", sheets.header_key(name)), p)
                era.setdefault(("name", _bare(name)), p)
        self._communes = {}
        self._districts = {}

    def province(self, value, era) -> Province:
        text = sheets.parse_code(value)
        if not text:
            raise sheets.CellError(_("Ô này không được để trống."))
        units = self.provinces.get(era, {})
        found = (
            units.get(("code", text.zfill(2)))
            if text.isdigit()
            else (units.get(("name", sheets.header_key(text))) or units.get(("name", _bare(text))))
        )
        if found is None:
            raise sheets.CellError(
                _("Không có tỉnh/thành phố «%(value)s» trong danh mục %(era)s.")
                % {"value": text, "era": _era_label(era)}
            )
        return found

    def district(self, value, province) -> District | None:
        text = sheets.parse_code(value)
        if not text:
            return None
        if province.pk not in self._districts:
            self._districts[province.pk] = list(District.objects.filter(province=province))
        for d in self._districts[province.pk]:
            if (text.isdigit() and d.code == text.zfill(3)) or _bare(d.name) == _bare(text):
                return d
        raise sheets.CellError(
            _("Không có quận/huyện «%(value)s» trong %(province)s.")
            % {"value": text, "province": province.name}
        )

    def commune(self, value, province, district=None) -> Commune:
        text = sheets.parse_code(value)
        if not text:
            raise sheets.CellError(_("Ô này không được để trống."))
        if province.pk not in self._communes:
            self._communes[province.pk] = list(Commune.objects.filter(province=province))
        communes = self._communes[province.pk]
        if text.isdigit():
            matches = [c for c in communes if c.code == text.zfill(5)]
        else:
            key = sheets.header_key(text)
            matches = [c for c in communes if sheets.header_key(c.name) == key]
            if not matches:
                matches = [c for c in communes if _bare(c.name) == _bare(text)]
            if len(matches) > 1 and district is not None:
                matches = [c for c in matches if c.district_id == district.pk]
        if not matches:
            raise sheets.CellError(
                _("Không có xã/phường «%(value)s» trong %(province)s.")
                % {"value": text, "province": province.name}
            )
        if len(matches) > 1:
            raise sheets.CellError(
                _(
                    "Có %(n)s xã/phường tên «%(value)s» trong %(province)s: hãy ghi quận/huyện "
                    "hoặc dùng mã xã."
                )
                % {"n": len(matches), "value": text, "province": province.name}
            )
        return matches[0]


def _era_label(era):
    return _("trước 01/07/2025") if era == Era.PRE2025 else _("từ 01/07/2025")


# --- clubs ----------------------------------------------------------------------------------

CLUB_COLUMNS = (
    Column(
        "Mã CLB",
        "club_code",
        True,
        "Duy nhất trên toàn quốc; là khoá khi nhập lại.",
        example="TQ-2025-001",
    ),
    Column("Tên CLB", "club_name", True, example="CLB Liên thế hệ Tân Trào"),
    Column(
        "Tỉnh/Thành phố",
        "province",
        True,
        "Tên hoặc mã tỉnh theo danh mục thời điểm thành lập (trước 01/07/2025: 63 tỉnh).",
        example="Tuyên Quang",
    ),
    Column("Quận/Huyện", "district", False, "Chỉ danh mục cũ: phân biệt xã trùng tên."),
    Column("Xã/Phường", "commune", True, "Tên hoặc mã xã trong tỉnh đó.", example="Xã Tân Trào"),
    Column(
        "Xã/Phường hiện nay",
        "current_commune",
        False,
        "CLB thành lập trước 01/07/2025 ở xã bị chia tách: xã/phường hiện nay.",
    ),
    Column("Thôn/Tổ dân phố", "village", example="Thôn Tân Lập"),
    Column("Ngày thành lập", "founded_on", True, "dd/mm/yyyy", "date", example="01/08/2025"),
    Column("Ngày giải thể", "dissolved_on", False, "dd/mm/yyyy", "date"),
)


@register("clubs", order=1, label=_lazy("Câu lạc bộ"), file_name="danh-sach-clb")
class ClubResource(ClubRows, SpreadsheetResource):
    """Clubs keyed by code. Units are read in the era of the founding date (before 01/07/2025,
    the 63 provinces; from then, the 34 of Resolution 202/2025/QH15). A code of digits that is
    no club's code finds the one club the user may see whose code equals it once leading zeros
    are ignored (``ClubRows.load_clubs``)."""

    columns = CLUB_COLUMNS
    title = "Danh sách CLB"
    key_attribute = "code"
    error_columns = {
        "province": "Tỉnh/Thành phố",
        "district": "Quận/Huyện",
        "current_commune": "Xã/Phường hiện nay",
        "commune": "Xã/Phường",
        "founding_commune": "Xã/Phường",
        "dissolved_on": "Ngày giải thể",
    }

    code = fields.Field("code", "Mã CLB", code_cell(True))
    name = fields.Field("name", "Tên CLB", name_cell())
    province_name = fields.Field(None, "Tỉnh/Thành phố", dehydrate_method="dehydrate_province")
    district_name = fields.Field(None, "Quận/Huyện", dehydrate_method="dehydrate_district")
    commune_name = fields.Field(None, "Xã/Phường", dehydrate_method="dehydrate_commune")
    current_commune = fields.Field(None, "Xã/Phường hiện nay", dehydrate_method="dehydrate_current")
    village = fields.Field("village", "Thôn/Tổ dân phố", text_cell())
    founded_on = fields.Field("founded_on", "Ngày thành lập", date_cell(True))
    dissolved_on = fields.Field("dissolved_on", "Ngày giải thể", date_cell())

    class Meta(SpreadsheetResource.Meta):
        model = Club
        fields = (
            "code",
            "name",
            "province_name",
            "district_name",
            "commune_name",
            "current_commune",
            "village",
            "founded_on",
            "dissolved_on",
        )
        use_bulk = False

    def prepare(self, dataset):
        self.units = Units()
        codes = self.column_values(dataset, "Mã CLB")
        self.existing = {c.code: c for c in Club.objects.filter(code__in=codes)}
        self.load_clubs(codes)
        self.visible = {c.pk for c in self.clubs.values()}

    def find_instance(self, row):
        code = sheets.parse_code(row.get("Mã CLB"))
        if code in self.existing:
            return self.existing[code]
        club, by_zeros = self.club_lookup.find(code)
        if by_zeros:
            self.note(sheets.zeros_note(code, club.code))
            row["Mã CLB"] = club.code  # the stored code stays
        return club

    def row_key(self, row, instance):
        return sheets.parse_code(row.get("Mã CLB")) or None

    def import_extra(self, instance, row, errors):
        founded = instance.founded_on
        if founded is None or "founded_on" in errors:
            return
        era = Era.of(founded)
        try:
            province = self.units.province(row.get("Tỉnh/Thành phố"), era)
        except ValueError as error:
            errors["province"] = [str(error)]
            return
        current_province_id = province.successor_id if era == Era.PRE2025 else province.pk
        if self.province_ids is not None and current_province_id not in self.province_ids:
            errors["province"] = [_("Tỉnh/thành phố này không thuộc phạm vi bạn được quản lý.")]
            return
        if instance.pk and instance.pk not in self.visible:
            errors["code"] = [_("Mã CLB này đã được dùng; hãy chọn mã khác.")]
            return
        district = None
        if era == Era.PRE2025:
            try:
                district = self.units.district(row.get("Quận/Huyện"), province)
            except ValueError as error:
                errors["district"] = [str(error)]
        try:
            commune = self.units.commune(row.get("Xã/Phường"), province, district)
        except ValueError as error:
            errors["commune"] = [str(error)]
            return
        if era == Era.POST2025:
            instance.founding_commune = None
            instance.commune = commune
        else:
            old_founding = instance.founding_commune_id
            instance.founding_commune = commune
            current = row.get("Xã/Phường hiện nay")
            if not sheets.is_blank(current):
                try:
                    new = self.units.commune(current, province.successor)
                except ValueError as error:
                    errors["current_commune"] = [str(error)]
                    return
                if not CommuneSuccession.objects.filter(old=commune, new=new).exists():
                    errors["current_commune"] = [
                        _("Xã/phường «%(old)s» không được sắp xếp vào «%(new)s».")
                        % {"old": commune.name, "new": new.name}
                    ]
                    return
                instance.commune = new
            elif old_founding != commune.pk:
                instance.commune = None
        instance.derive_units()

    def save_instance(self, instance, is_create, row, **kwargs):
        self.before_save_instance(instance, row, **kwargs)
        instance._change_reason = self.change_reason
        instance.save()

    def export_queryset(self):
        return self.scope(Club.objects).select_related(
            "province", "commune", "founding_commune__province", "founding_commune__district"
        )

    def dehydrate_province(self, club):
        if club.founded_on < REFORM_DATE and club.founding_commune_id:
            return club.founding_commune.province.name
        return club.province.name

    def dehydrate_district(self, club):
        founding = club.founding_commune
        return founding.district.name if founding and founding.district_id else ""

    def dehydrate_commune(self, club):
        if club.founded_on < REFORM_DATE and club.founding_commune_id:
            return club.founding_commune.name
        return club.commune.name if club.commune_id else ""

    def dehydrate_current(self, club):
        if club.founded_on < REFORM_DATE and club.commune_id:
            return club.commune.name
        return ""

    def club_id_of(self, instance):
        return instance.pk

    def province_ids_of(self, club_ids):
        return province_ids_of_clubs(club_ids)


def province_ids_of_clubs(club_ids) -> set[int]:
    """The new-era provinces (``Province`` ids) of the clubs ``club_ids``."""
    rows = Club.objects.filter(pk__in=list(club_ids)).values_list("province_id", flat=True)
    return {pk for pk in rows if pk is not None}
