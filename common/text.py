"""Text rules for Vietnamese names.

``normalise_name(" Nguyễn  Thị Hoà ")`` returns ``"Nguyễn Thị Hoà"`` in NFC with single spaces;
``search_key("Nguyễn Thị Hoà")`` returns ``"nguyen thi hoa"``: no diacritics, ``đ`` read as ``d``,
lower case. The search key is stored beside each name so that search behaves the same on SQLite
and PostgreSQL; ``given_name_key`` (the last word's key) is what lists sort by.
"""

import functools
import unicodedata


def normalise_name(value: str) -> str:
    """Return ``value`` NFC-normalised, trimmed, with runs of whitespace made one space."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def search_key(value: str) -> str:
    """Return the diacritic-free lower-case key of ``value`` ("Đường Hoà" -> "duong hoa").

    Worked out word by word (names repeat their words: "Nguyễn", "Thị"), each word's key
    remembered: the key of a text is the keys of its words joined by one space, as no step
    (NFD, dropping combining marks, lower case) joins or splits words."""
    return " ".join(map(_word_key, normalise_name(value).split(" ")))


@functools.lru_cache(maxsize=1 << 16)
def _word_key(word: str) -> str:
    text = word.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


def given_name_key(value: str) -> str:
    """Return the search key of the given name (the last word), the key Vietnamese lists sort by."""
    return given_name_of(search_key(value))


def given_name_of(key: str) -> str:
    """The given name's key (the last word) of a :func:`search_key` ``key``."""
    words = key.split()
    return words[-1] if words else ""


# The Vietnamese alphabet; the letter modifiers (breve, circumflex, horn) and đ make letters of
# their own, the five tones only break ties.
_ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}
_MODIFIERS = {"\u0306", "\u0302", "\u031b"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vietnamese_sort_key(value: str) -> tuple:
    """A key that sorts names in Vietnamese alphabetical order: "Đường" after "Dương" and
    before "Giang", "Ăn" after "An" (code-point order puts "Đ" and "Ă" after "Z")."""
    letters, tones, word_tone = [], [], 0
    for ch in normalise_name(value).lower() + " ":
        decomposed = unicodedata.normalize("NFD", ch)
        base = decomposed[0] + "".join(m for m in decomposed[1:] if m in _MODIFIERS)
        letter = unicodedata.normalize("NFC", base)
        if letter == " ":  # the tone belongs to the syllable, wherever its mark stands
            tones.append(word_tone)
            word_tone = 0
            letters.append(-1)
            continue
        letters.append(_RANK.get(letter, 100 + ord(letter[0])))
        word_tone = max([word_tone] + [_TONES[m] for m in decomposed[1:] if m in _TONES])
    return tuple(letters), tuple(tones)


#: The words that start the name of an administrative unit ("Xã Tân Trào", "Phường Hà Giang 1",
#: "Thị trấn Vĩnh Lộc", "Đặc khu Côn Đảo"): a picker matches what is typed after them.
UNIT_PREFIXES = ("xa", "phuong", "thi tran", "dac khu")


def picker_key(label: str) -> str:
    """The key a picker matches typed text against: the :func:`search_key` of ``label`` with
    its unit prefix dropped where it starts with one (``"Xã Tân Trào"`` -> ``"tan trao"``;
    ``"HG-001 – CLB Hoà Bình"`` -> ``"hg-001 – clb hoa binh"``); an old commune shown with its
    district ("Xã Minh Thanh – Huyện Sơn Dương") keeps the district's words. The browser
    matches each typed word at the start of a word of the key."""
    key = search_key(label)
    for prefix in UNIT_PREFIXES:
        if key.startswith(prefix + " "):
            return key[len(prefix) + 1 :]
    return key
