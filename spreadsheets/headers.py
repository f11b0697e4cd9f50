"""The header variants that real registers use for the template's columns, in one place.

Matching ignores case, surrounding spaces and NFC/NFD (``spreadsheets.cells.header_key``).
A variant is accepted for its template header in every kind of file that has that column.
Numbering columns (``STT``) are recognised and not read.
"""

#: Template header → the variants accepted for it.
HEADER_VARIANTS: dict[str, tuple[str, ...]] = {
    "Họ và tên": ("Họ tên", "Họ, tên", "Tên thành viên"),
    "Ngày sinh": ("Năm sinh", "Ngày/năm sinh", "Ngày tháng năm sinh"),
    "Giới tính": ("Giới", "Nam/Nữ", "Nam/nữ"),
    "Mã CLB": ("Mã số CLB", "Mã câu lạc bộ"),
    "Mã thành viên": ("Mã TV", "Mã số thành viên"),
    "Ngày tham gia": ("Ngày vào CLB", "Ngày vào"),
    "Số điện thoại": ("SĐT", "Điện thoại"),
    "Số định danh": ("CCCD", "Số CCCD", "Căn cước", "Số căn cước"),
    "Hoàn cảnh": ("Diện hộ", "Hộ nghèo/cận nghèo"),
}

#: Headers of numbering columns, not read: "số thứ tự".
NUMBERING_HEADERS = ("STT", "TT", "Số TT", "Số thứ tự")

#: The mark of the template's example row, in its numbering cell: the import skips that row.
EXAMPLE_MARKS = ("Ví dụ", "Example")

#: The first cell of a total row below the data: that row and every row after it are the
#: register's footer, not read (listed in the preview).
FOOTER_MARKS = ("Tổng cộng", "Tổng", "Cộng", "Tổng số", "Total")

#: How the signature lines below a register begin (the footer, not read).
SIGNATURE_MARKS = (
    "Người lập biểu",
    "Người lập",
    "Người ghi",
    "Chủ nhiệm",
    "Chủ tịch",
    "Trưởng thôn",
    "Trưởng ban",
    "Xác nhận",
    "Kế toán",
    "Thủ quỹ",
    "(Ký",
    "Ký tên",
    "Ký, ghi rõ",
)
