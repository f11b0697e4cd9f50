def test_vietnamese_alphabetical_order():
    from common.text import vietnamese_sort_key

    names = [
        "Xã Yên Lâm",
        "Xã Đường Hồng",
        "Xã Dương Quang",
        "Xã Ăn Hòa",
        "Xã An Bình",
        "Xã Giáp Trung",
        "Xã Ân Thi",
        "Xã Ơn Tiến",
        "Xã Ô Lâm",
        "Xã Ông Ích",
    ]
    assert sorted(names, key=vietnamese_sort_key) == [
        "Xã An Bình",
        "Xã Ăn Hòa",
        "Xã Ân Thi",
        "Xã Dương Quang",
        "Xã Đường Hồng",
        "Xã Giáp Trung",
        "Xã Ô Lâm",
        "Xã Ông Ích",
        "Xã Ơn Tiến",
        "Xã Yên Lâm",
    ]
    # Tones only break ties: "Hoa" < "Hòa" < "Hoạ" < "Hoan".
    assert sorted(["Hoan", "Hoạ", "Hòa", "Hoa"], key=vietnamese_sort_key) == [
        "Hoa",
        "Hòa",
        "Hoạ",
        "Hoan",
    ]
