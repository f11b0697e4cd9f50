"""Search keys of names, worked out word by word (``common.text``)."""

from common.text import given_name_key, given_name_of, search_key


def test_a_name_s_search_key_drops_marks_reads_d_and_lowers():
    assert search_key("  Nguyễn  Thị\tĐào ") == "nguyen thi dao"
    assert search_key("ĐẶNG văn Ẩn") == "dang van an"
    assert search_key("Ngô Thị Hoà") == search_key("Ngô Thị Hòa") == "ngo thi hoa"


def test_a_repeated_word_has_the_same_key_in_every_name():
    assert search_key("Lò Thị Mai") == "lo thi mai"
    assert search_key("Thị Lò") == "thi lo"  # the remembered words, in another order
    assert search_key("Lò Lò") == "lo lo"


def test_blank_names_have_blank_keys():
    assert search_key("") == search_key("   ") == search_key(None) == ""
    assert given_name_key("") == given_name_of("") == ""


def test_the_given_name_key_is_the_last_word_of_the_search_key():
    assert given_name_key("Nguyễn Thị Đào") == "dao"
    assert given_name_of("nguyen thi dao") == "dao"
