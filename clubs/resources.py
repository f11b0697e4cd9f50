"""Spreadsheet resources (django-import-export) for clubs, and the base every kind shares.

The columns of each kind are the contract in IMPORT_TEMPLATES.md: each :class:`Column` names
the Vietnamese header, its English alias and whether it is required. A resource reads rows that
:func:`clubs.services.import_file` has already matched to those headers, looks up the stored
record by its natural key (never by database id), reports every bad cell of a row at once, and
writes in bulk with history (``simple_history.utils.bulk_create_with_history``).

Officer scoping goes through ``Club.objects.for_user``; a club code outside the user's provinces
gets the same message as a code that does not exist (DESIGN §3).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import spreadsheets as sheets
from .models import REFORM_DATE, Club, Commune, CommuneSuccession, District, Era, Province
from .scoping import province_ids_for

CHANGE_REASON = "Nhập từ tệp"


@dataclass(frozen=True)
class Column:
    """One column of a template: ``header`` (Vietnamese, as exported), ``alias`` (English),
    ``required``, ``help`` (the instructions sheet) and ``kind`` for the export format:
    ``"text"``, ``"date"``, ``"money"``, ``"int"``."""

    header: str
    alias: str
    required: bool = False
    help: str = ""
    kind: str = "text"


class Cell(widgets.Widget):
    """A widget that cleans with one parser of :mod:`clubs.spreadsheets` and exports native
    values (dates as dates, money as integers) so that ``.xlsx`` cells are real numbers and
    dates. ``required`` makes a blank cell an error."""

    def __init__(self, parser, required=False, render=None):
        super().__init__(coerce_to_string=False)
        self.parser = parser
        self.required = required
        self.render_value = render

    def clean(self, value, row=None, **kwargs):
        if self.required and sheets.is_blank(value):
            raise sheets.CellError(_("Ô này không được để trống."))
        return self.parser(value)

    def render(self, value, obj=None, **kwargs):
        if self.render_value:
            return self.render_value(value)
        return "" if value is None else value


def text_cell(required=False):
    return Cell(sheets.clean_text, required)


def name_cell(required=True):
    return Cell(sheets.parse_name, required)


def code_cell(required=False):
    return Cell(sheets.parse_code, required)


def date_cell(required=False):
    return Cell(sheets.parse_date, required)


def money_cell(required=False):
    return Cell(sheets.parse_money, required)


def yes_no_cell():
    return Cell(sheets.parse_yes_no, render=lambda v: _yes_no_label(v))


def _yes_no_label(value):
    return "Có" if value else "Không"


def choice_cell(choices, required=False, extra=None):
    parse = sheets.choice_parser(choices, extra)
    return Cell(parse, required, render=lambda v: sheets.vietnamese_label(choices, v))


class KeepMaskedField(fields.Field):
    """A field whose masked value (``••••••••1234``) leaves the stored value unchanged."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        if self.clean(row, **kwargs) is sheets.MASKED:
            return
        super().save(instance, row, is_m2m, **kwargs)


class _KeyLoader(BaseInstanceLoader):
    def get_instance(self, row):
        return self.resource.find_instance(row)


class SpreadsheetResource(resources.ModelResource):
    """Base of every kind. Subclasses set ``columns`` (the template), ``title`` (the list's
    name), and implement ``prepare(rows)`` (bulk look-ups), ``find_instance(row)`` (the stored
    record for a row's natural key, or None; raises ValidationError for a bad key) and
    ``row_key(row, instance)``; they may add ``import_extra(instance, row, errors)``.

    ``user`` scopes look-ups (``None``: everything, for the command line without ``--user``).
    ``row_numbers[i]`` is the spreadsheet row of dataset row ``i`` (0-based)."""

    columns: tuple[Column, ...] = ()
    title = ""
    #: model field name -> column header, for errors from ``Model.clean()``.
    error_columns: dict = {}

    class Meta:
        skip_diff = True
        skip_unchanged = True
        report_skipped = True
        use_bulk = True
        batch_size = 2000
        clean_model_instances = False
        instance_loader_class = _KeyLoader

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.province_ids = province_ids_for(user) if user is not None else None
        self.row_numbers = []
        self.seen_keys = {}
        self.pending_errors = {}
        self._row_index = 0
        self.failed = False

    # --- scoping ----------------------------------------------------------------------------

    def scoped_clubs(self):
        if self.user is None:
            return Club.objects.all()
        return Club.objects.for_user(self.user)

    def load_clubs(self, codes):
        """Fill ``self.clubs`` (code -> Club) with the clubs of ``codes`` the user may see."""
        self.clubs = {
            c.code: c for c in self.scoped_clubs().filter(code__in={c for c in codes if c})
        }

    def club_for(self, value) -> Club:
        """The club with code ``value`` among those the user may see. A code outside the user's
        provinces gets the same message as one that does not exist."""
        code = sheets.parse_code(value)
        if not code:
            raise sheets.CellError(_("Ô này không được để trống."))
        club = self.clubs.get(code)
        if club is None:
            raise sheets.CellError(
                _("Không có CLB mã «%(code)s» trong các tỉnh bạn được quản lý.") % {"code": code}
            )
        return club

    def column_values(self, dataset, header, parser=sheets.parse_code):
        if header not in dataset.headers:
            return []
        values = []
        for value in dataset[header]:
            try:
                values.append(parser(value))
            except ValueError:
                continue
        return values

    # --- import-export hooks ----------------------------------------------------------------

    def _check_import_id_fields(self, headers):
        """Natural keys are looked up by ``find_instance``, not by ``import_id_fields``."""

    def before_import(self, dataset, **kwargs):
        self.prepare(dataset)

    def prepare(self, dataset):
        raise NotImplementedError

    def before_import_row(self, row, **kwargs):
        self._row_index = kwargs.get("row_number", 1) - 1
        self.pending_errors = {}

    @property
    def row_number(self) -> int:
        if self._row_index < len(self.row_numbers):
            return self.row_numbers[self._row_index]
        return self._row_index + 2

    def get_or_init_instance(self, instance_loader, row):
        try:
            instance = instance_loader.get_instance(row)
        except ValidationError as error:
            self.pending_errors = error.update_error_dict({})
            instance = None
        new = instance is None
        if new:
            instance = self.init_instance(row)
        if not self.pending_errors:
            key = self.row_key(row, instance)
            if key is not None:
                first = self.seen_keys.setdefault(key, self.row_number)
                if first != self.row_number:
                    self.pending_errors = {
                        self.key_attribute: [
                            _("Trùng khoá với dòng %(row)s của tệp.") % {"row": first}
                        ]
                    }
        return instance, new

    key_attribute = NON_FIELD_ERRORS

    def row_key(self, row, instance):
        return None

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._import_snapshot = None if new else self.snapshot(instance)

    def snapshot(self, instance) -> dict:
        return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}

    def import_instance(self, instance, row, **kwargs):
        errors = dict(self.pending_errors)
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            for key, messages in error.update_error_dict({}).items():
                errors.setdefault(key, messages)
        self.import_extra(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def import_extra(self, instance, row, errors):
        """Read the columns that need several cells or look-ups; add errors to ``errors``."""

    def has_extra_changes(self, instance) -> bool:
        return False

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance._import_snapshot is None:
            return False
        return self.snapshot(instance) == instance._import_snapshot and not (
            self.has_extra_changes(instance)
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if not errors:
            try:
                instance.clean()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        if result.import_type in ("error", "invalid"):
            self.failed = True
        return result

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = self.user

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.create_instances and not self.failed:
            self._bulk(result, bulk_create_with_history, list(self.create_instances))
        self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if self.update_instances and not self.failed:
            names = [
                f.name
                for f in self._meta.model._meta.concrete_fields
                if not f.primary_key and f.name != "id"
            ]
            self._bulk(result, bulk_update_with_history, list(self.update_instances), names)
        self.update_instances.clear()

    def _bulk(self, result, function, objs, update_fields=None):
        args = (objs, self._meta.model) + ((update_fields,) if update_fields else ())
        try:
            with transaction.atomic():
                function(
                    *args,
                    batch_size=self._meta.batch_size,
                    default_user=self.user,
                    default_change_reason=CHANGE_REASON,
                )
        except Exception as error:  # a database constraint: reported, and the batch undone
            self.failed = True
            self.handle_import_error(result, error, False)

    def after_import(self, dataset, result, **kwargs):
        """Subclasses write dependent rows here (all instances have ids by now)."""

    def column_for(self, key) -> str:
        """The template header that an error keyed ``key`` (a field attribute or a model
        field name) belongs to; ``""`` for an error about the whole row."""
        if key in self.error_columns:
            return self.error_columns[key]
        for f in self.fields.values():
            if f.attribute == key:
                return f.column_name
        return ""

    # --- export -----------------------------------------------------------------------------

    def export_queryset(self):
        """The rows this user may see, for the export (``for_user``)."""
        raise NotImplementedError


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
    Column("Mã CLB", "club_code", True, "Duy nhất trên toàn quốc; là khoá khi nhập lại."),
    Column("Tên CLB", "club_name", True),
    Column(
        "Tỉnh/Thành phố",
        "province",
        True,
        "Tên hoặc mã tỉnh theo danh mục thời điểm thành lập (trước 01/07/2025: 63 tỉnh).",
    ),
    Column("Quận/Huyện", "district", False, "Chỉ danh mục cũ: phân biệt xã trùng tên."),
    Column("Xã/Phường", "commune", True, "Tên hoặc mã xã trong tỉnh đó."),
    Column(
        "Xã/Phường hiện nay",
        "current_commune",
        False,
        "CLB thành lập trước 01/07/2025 ở xã bị chia tách: xã/phường hiện nay.",
    ),
    Column("Thôn/Tổ dân phố", "village"),
    Column("Ngày thành lập", "founded_on", True, "dd/mm/yyyy", "date"),
    Column("Ngày giải thể", "dissolved_on", False, "dd/mm/yyyy", "date"),
)


class ClubResource(SpreadsheetResource):
    """Clubs keyed by code. Units are read in the era of the founding date (DESIGN §4)."""

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
        self.visible = set(self.scoped_clubs().filter(code__in=codes).values_list("pk", flat=True))

    def find_instance(self, row):
        return self.existing.get(sheets.parse_code(row.get("Mã CLB")))

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
        instance._history_user = self.user
        instance._change_reason = CHANGE_REASON
        instance.save()

    def export_queryset(self):
        return self.scoped_clubs().select_related(
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


def as_date(value):
    return value if isinstance(value, datetime.date) else None
