"""Spreadsheet resource for clubs' monthly meetings (template ``MEETING_COLUMNS``), keyed by
(club, meeting date), as the monitoring visits are."""

from django.utils.translation import gettext_lazy as _lazy
from import_export import fields

from clubs.resources import ClubCell, ClubDayRows
from spreadsheets import cells as sheets
from spreadsheets.registry import register
from spreadsheets.resources import Cell, Column, SpreadsheetResource, date_cell, text_cell

from .models import Meeting

MEETING_COLUMNS = (
    Column("Mã CLB", "club_code", True, example="TQ-2025-001"),
    Column("Ngày họp", "held_on", True, "dd/mm/yyyy", "date", example="05/10/2025"),
    Column("Số thành viên dự họp", "attendees", False, "", "int", example=42),
    Column("Nội dung", "topics", False, example="Bình xét cho vay vòng mới; kế hoạch thăm hỏi"),
)


@register("meetings", order=6, label=_lazy("Sinh hoạt hằng tháng"), file_name="sinh-hoat-clb")
class MeetingResource(ClubDayRows, SpreadsheetResource):
    columns = MEETING_COLUMNS
    title = "Danh sách buổi sinh hoạt"
    key_attribute = "held_on"
    day_header, day_field = "Ngày họp", "held_on"

    club = fields.Field("club", "Mã CLB")
    held_on = fields.Field("held_on", "Ngày họp", date_cell(True))
    attendees = fields.Field("attendees", "Số thành viên dự họp", Cell(sheets.parse_count))
    topics = fields.Field("topics", "Nội dung", text_cell())

    class Meta(SpreadsheetResource.Meta):
        model = Meeting
        fields = ("club", "held_on", "attendees", "topics")

    def __init__(self, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        self.fields["club"].widget = ClubCell(self)
