"""Decoding stage: bytes of a file -> text, whatever the encoding the scraper left.

Reads raw bytes, returns ``(text, notes)`` or raises :class:`UnreadableFile` with a reason a
person understands (binary data, undecodable text).
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes


class UnreadableFile(ValueError):
    """The bytes are not text the toolkit can read; the message says why."""


_BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}


def _looks_utf16(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0) / len(sample[0::2])
    odd_nul = sample[1::2].count(0) / len(sample[1::2])
    # Latin text in UTF-16 has NUL high bytes; Cyrillic has 0x04 high bytes
    for name, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        share = sum(1 for b in high if b in (0, 4, 5)) / len(high)
        if share > 0.9 and (odd_nul > 0.2 or even_nul > 0.2 or high.count(4) > 0.5 * len(high)):
            return name
    return None


def decode_bytes(data: bytes, repair: bool = True) -> tuple[str, list[str]]:
    """Decode file bytes to text; return ``(text, notes)``.

    Order: a byte-order mark; UTF-16 without a mark; strict UTF-8; UTF-8 with a broken tail (a
    truncated multi-byte sequence is dropped and noted); otherwise the encoding that
    charset-normalizer finds most plausible (cp1251, koi8-r, ...).

    With ``repair`` (the default) damage that leaves most of the file readable is repaired and
    counted in the notes instead of costing the whole file: NUL bytes (a run of them, or one
    inside a word) are removed; in text that is mostly valid UTF-8 (at least three valid
    multi-byte characters per invalid sequence), invalid byte sequences become U+FFFD; stray
    control characters are removed. Only when most of the file is not text is it refused
    (:class:`UnreadableFile`): more NUL bytes than others, or more than
    :data:`MAX_DAMAGE` of the characters unreadable.

    Examples
    --------
    >>> decode_bytes("Карабах".encode("cp1251"))
    ('Карабах', ['decoded as cp1251'])
    >>> decode_bytes("Карабах".encode("utf-8")[:-1])[1]
    ['truncated UTF-8 sequence at the end of the file dropped (1 byte)']
    >>> decode_bytes("Кара\\x00бах".encode("utf-8"))
    ('Карабах', ['1 NUL byte removed (1 run)'])
    >>> decode_bytes("Нагорный Карабах".encode("utf-8").replace(b"\\xd0\\xb3", b"\\xd0\\x33"))
    ('На\ufffd3орный Карабах', ['decoded as UTF-8 with 1 invalid byte sequence replaced by U+FFFD'])
    """
    if not data.strip(b"\x00 \t\r\n"):
        raise UnreadableFile("empty file")
    notes: list[str] = []
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), []
            except UnicodeDecodeError as exc:
                if not repair:
                    raise UnreadableFile(f"starts with a {name} byte-order mark but is not valid {name}: {exc.reason}")
                return _replaced(data, name, [])
    if 0 in data:
        utf16 = _looks_utf16(data)
        if utf16:
            try:
                return _check_text(data.decode(utf16)), [f"decoded as {utf16} (no byte-order mark)"]
            except UnicodeDecodeError:
                if repair:
                    return _replaced(data, utf16, [f"decoded as {utf16} (no byte-order mark)"])
        if not repair:
            raise UnreadableFile("binary file: it contains NUL bytes and is not UTF-16 text")
        data, note = _without_nul(data)
        notes.append(note)
    try:
        return _check_text(data.decode("utf-8"), repair, notes), notes
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            dropped = len(data) - exc.start
            text = _check_text(data[: exc.start].decode("utf-8"), repair, notes)
            return text, notes + [f"truncated UTF-8 sequence at the end of the file dropped "
                                  f"({dropped} byte{'s' * (dropped > 1)})"]
    if repair and _mostly_utf8(data):
        return _replaced(data, "utf-8", notes)
    mixed = _mixed_lines(data)
    if mixed is not None:
        return _check_text(mixed[0], repair, notes), notes + mixed[1]
    cyrillic = _single_byte_cyrillic(data)
    if cyrillic:
        try:
            return _check_text(data.decode(cyrillic), repair, notes), notes + [f"decoded as {cyrillic}"]
        except UnicodeDecodeError:  # a byte the encoding lacks: damage, or not this encoding after all
            if repair and data.decode(cyrillic, errors="replace").count("\ufffd") <= max(2, 0.01 * len(data)):
                return _replaced(data, cyrillic, notes)
    if _latin_punctuation(data):
        return _check_text(data.decode("cp1252"), repair, notes), notes + ["decoded as cp1252"]
    best = _detected(data)
    if best is not None:
        try:
            return _check_text(data.decode(best)), notes + [f"decoded as {best}"]
        except (UnreadableFile, UnicodeDecodeError):
            if not repair:
                raise UnreadableFile(f"binary or undecodable file: its bytes are not valid {best}") from None
    elif not repair:
        raise UnreadableFile("binary or undecodable file: no text encoding fits its bytes")
    return _replaced(data, "utf-8", notes)


#: charset-normalizer's multi-byte East Asian encodings, with the script a text in them is mostly
#: written in, and the least share of its non-ASCII characters that script takes in real text:
#: Japanese always has kana (particles, endings), Korean is mostly Hangul. A single-byte text read
#: in them as pairs of bytes gives few of these (random pairs fall on kanji or on other rows)
_EAST_ASIAN = {"euc_jp": ("\u3040-\u30ff", 0.15), "euc_jis_2004": ("\u3040-\u30ff", 0.15),
               "euc_jisx0213": ("\u3040-\u30ff", 0.15), "shift_jis": ("\u3040-\u30ff", 0.15),
               "shift_jis_2004": ("\u3040-\u30ff", 0.15), "cp932": ("\u3040-\u30ff", 0.15),
               "euc_kr": ("\uac00-\ud7a3", 0.6), "cp949": ("\uac00-\ud7a3", 0.6)}


def _detected(data: bytes) -> str | None:
    """The encoding charset-normalizer finds most plausible (a Python codec name), second-guessed
    where it is known to fail: a Cyrillic reading that is not Cyrillic text
    (:func:`_plausible_cyrillic`: ISO 8859-7 Greek came out as cp1251) is skipped; a Japanese or
    Korean reading whose characters are that language's script beats a single-byte one (EUC-JP came
    out as Thai cp874); Turkish read as cp1252 is read as cp1254 (:func:`_turkish_not_western`)."""
    readings = [(m.encoding, str(m)) for m in from_bytes(data) if m.encoding is not None]
    usable = [(encoding, text) for encoding, text in readings if _plausible_cyrillic(text)]
    if readings and not usable:   # asked again without the Cyrillic code pages (ISO 8859-7 Greek: cp1253)
        excluded = [encoding for encoding, _ in readings] + list(_CYRILLIC_CODECS)
        usable = [(m.encoding, str(m)) for m in from_bytes(data, cp_exclusion=excluded)
                  if m.encoding is not None and _plausible_cyrillic(str(m))]
    if not usable:
        return None
    for encoding, text in usable:
        script = _EAST_ASIAN.get(encoding)
        if script:
            high = sum(1 for ch in text if ord(ch) > 0x7F)
            if high and len(re.findall(f"[{script[0]}]", text)) >= script[1] * high:
                return encoding
    encoding, text = usable[0]
    if encoding in _WESTERN_LATIN and _turkish_not_western(text):
        try:
            data.decode("cp1254")
            return "cp1254"
        except UnicodeDecodeError:   # a byte cp1254 lacks (0x8E, 0x9E): not Turkish after all
            return encoding
    return encoding


#: charset-normalizer's single-byte Latin readings that Turkish cp1254 / ISO 8859-9 files come out as
_WESTERN_LATIN = ("cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2")


_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")
#: characters of a text :func:`_plausible_cyrillic` reads (its start tells, and a long text costs no more)
PLAUSIBLE_SAMPLE = 3000
_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяіїєъ")
#: letters only one language's alphabet has (Russian, Ukrainian, Belarusian, Serbian/Macedonian): a
#: text holds those of one, or two (a Russian quotation in a Ukrainian text, Belarusian's ы э ё and
#: ў), never three (ISO 8859-7 Greek read as ISO 8859-5 gives ё, ї, є, ѓ, њ, љ, ќ)
_CYRILLIC_ALPHABETS = (frozenset("ыэё"), frozenset("єїґ"), frozenset("ў"), frozenset("ђћџјљњѓќѕ"))
_CASE_FLIP = re.compile(r"[а-яёіїєґўђјљњћџ][А-ЯЁІЇЄҐЎЂЈЉЊЋЏ]")


def _plausible_cyrillic(text: str) -> bool:
    """Whether a text read in a code page is Cyrillic text or no Cyrillic at all, not another script's bytes
    under Cyrillic letters (Greek cp1253 read as cp1251: "Фп БжесмрбъфжЬн"). Russian, Ukrainian,
    Belarusian, Bulgarian, Serbian and Kazakh running text has 34-48 % vowels among its Cyrillic
    letters, a capital after a small letter in hardly any word, nothing but letters and
    punctuation outside ASCII, and the letters of at most two alphabets
    (:data:`_CYRILLIC_ALPHABETS`); another script read as Cyrillic has 23-28 % vowels, or capitals
    inside half its words, or box-drawing characters (EUC-JP read as cp866), or letters of three
    alphabets (Greek ISO 8859-7 read as ISO 8859-5). Texts of fewer than
    20 Cyrillic letters are taken as they are (too short to tell).

    >>> _plausible_cyrillic("Азербайджан начал военную операцию в Нагорном Карабахе.")
    True
    >>> _plausible_cyrillic("Το Αζερμπαϊτζάν ξεκίνησε στρατιωτική επιχείρηση".encode("cp1253").decode("cp1251"))
    False
    """
    text = text[:PLAUSIBLE_SAMPLE]
    words = _CYRILLIC_WORD.findall(text)
    letters = sum(map(len, words))
    if letters < 20:
        return True
    vowels = sum(ch in _CYRILLIC_VOWELS for word in words for ch in word.lower())
    flips = sum(bool(_CASE_FLIP.search(word)) for word in words)
    high = sum(1 for ch in text if ord(ch) > 0x7F)
    other = sum(1 for ch in text if ord(ch) > 0x7F and not ("\u0400" <= ch <= "\u04ff")
                and unicodedata.category(ch)[0] not in "PZ")
    alphabets = sum(any(ch in group for word in words for ch in word.lower()) for group in _CYRILLIC_ALPHABETS)
    return (0.30 <= vowels / letters <= 0.60 and flips <= 0.15 * len(words) and other <= 0.15 * high
            and alphabets <= 2)


def _turkish_not_western(text: str) -> bool:
    """A text read in a Western or Central European code page that holds, at the bytes where cp1254
    puts Turkish ı/İ, ş/Ş and ğ/Ğ, the letters of at least two of those three (cp1252's ý þ ð,
    cp1250's ý ţ đ) and none of the acute vowels á é í ó ú or æ: Turkish. Czech and Slovak have ý
    but not ţ or đ, Romanian ţ but not ý, Croatian đ alone, and Icelandic, which has ý þ ð, always
    has acute vowels too; Turkish has none.

    >>> _turkish_not_western("Şuşa'da çalışmalar sürüyor".encode("cp1254").decode("cp1252"))
    True
    >>> _turkish_not_western("Cumhurbaşkanı İlham Aliyev Karabağ'da".encode("cp1254").decode("cp1250"))
    True
    >>> _turkish_not_western("Það var gott á Íslandi"), _turkish_not_western("Výbor schválil návrh ţ")
    (False, False)
    """
    groups = sum(bool(re.search(pattern, text)) for pattern in ("[ýÝ]", "[þÞţŢ]", "[ðÐđĐ]"))
    return groups >= 2 and not re.search("[áéíóúæÁÉÍÓÚÆ]", text)


def _mixed_lines(data: bytes) -> tuple[str, list[str]] | None:
    """Lines in UTF-8 beside lines in one legacy encoding (a file appended to by two programs):
    each line decoded in its own encoding; ``None`` when the file is not like that."""
    lines = data.split(b"\n")
    legacy, utf8_non_ascii = [], 0
    for i, line in enumerate(lines):
        try:
            utf8_non_ascii += not line.decode("utf-8").isascii()
        except UnicodeDecodeError:
            legacy.append(i)
    if not legacy or not utf8_non_ascii:
        return None
    try:
        text, notes = decode_bytes(b"\n".join(lines[i] for i in legacy), repair=False)
    except UnreadableFile:
        return None
    decoded = text.split("\n")
    if len(decoded) != len(legacy):
        return None
    out = dict(zip(legacy, decoded))
    text = "\n".join(out[i] if i in out else line.decode("utf-8") for i, line in enumerate(lines))
    how = notes[0] if notes else "decoded separately"
    total = sum(1 for line in lines if line.strip())
    return text, [f"mixed encodings: {len(legacy)} of {total} lines are not UTF-8 ({how})"]


#: largest share of unreadable characters (U+FFFD, control characters) a repaired file may have
MAX_DAMAGE = 0.2


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _without_nul(data: bytes) -> tuple[bytes, str]:
    nul = data.count(0)
    if nul > len(data) - nul:
        raise UnreadableFile(f"binary file: {nul} of its {len(data)} bytes are NUL")
    runs = len(_NUL_RUN.findall(data))
    return data.replace(b"\x00", b""), f"{_plural(nul, 'NUL byte')} removed ({_plural(runs, 'run')})"


def _mostly_utf8(data: bytes) -> bool:
    """Valid UTF-8 multi-byte characters outnumber invalid sequences at least three to one
    (a legacy encoding read as UTF-8 gives almost no valid multi-byte character)."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - data.count("\ufffd".encode())
    valid = sum(1 for ch in text if ord(ch) > 0x7F) - text.count("\ufffd")
    return valid >= 3 * invalid


def _replaced(data: bytes, encoding: str, notes: list[str]) -> tuple[str, list[str]]:
    """Decode with U+FFFD for invalid sequences; refuse when most of it is not text."""
    text = data.decode(encoding, errors="replace")
    literal = "\ufffd".encode(encoding, errors="ignore").removeprefix(codecs.BOM_UTF16_LE).removeprefix(codecs.BOM_UTF16_BE)
    invalid = text.count("\ufffd") - (data.count(literal) if literal else 0)
    if encoding == "utf-8" and not text.isascii():
        how = "UTF-8"
    else:
        how = encoding
    text = _check_text(text, True, notes, invalid)
    return text, notes + [f"decoded as {how} with {_plural(invalid, 'invalid byte sequence')} replaced by U+FFFD"]


_NUL_RUN = re.compile(rb"\x00+")
_HIGH_RUN = re.compile(rb"[\x80-\xff]{3,}")
_CONTROL_CHARS = re.compile("[" + "".join(chr(c) for c in sorted(_CONTROL)) + "]")


#: charset-normalizer's names of the single-byte Cyrillic code pages
_CYRILLIC_CODECS = ("cp1251", "mac_cyrillic", "iso8859_5", "koi8_r", "koi8_u", "cp866", "cp1125", "ptcp154",
                    "kz1048", "cp855")
#: single-byte Cyrillic encodings, in the order preferred on a tie
CYRILLIC_ENCODINGS = ("cp1251", "koi8-r", "koi8-u", "iso-8859-5", "mac-cyrillic", "cp866")
_LOWER = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў")
_UPPER = {ch.upper() for ch in _LOWER}


def _single_byte_cyrillic(data: bytes) -> str | None:
    """The single-byte Cyrillic encoding under which the bytes read as the most Russian,
    Ukrainian or Belarusian letters, mostly lowercase; ``None`` when none does.

    Running text is mostly lowercase, and the encodings put the lower- and uppercase letters in
    different ranges (koi8-r swaps cp1251's; mac-cyrillic shares cp1251's lowercase but not its
    uppercase), so the right one gives the most letters with lowercase ahead. Statistical
    detectors confuse short Cyrillic texts with East Asian encodings, hence this check first.
    """
    high = sum(1 for b in data if b >= 0x80)
    if high < 0.2 * len(data.strip()):
        # mostly ASCII (English with a Russian line, say): Cyrillic only if the other bytes
        # form words, not single accented letters inside Latin words (German, Turkish)
        in_words = sum(len(run) for run in _HIGH_RUN.findall(data))
        if high < 8 or in_words < 0.7 * high:
            return None
    best, best_score = None, (0, 0)
    for name in CYRILLIC_ENCODINGS:
        text = data.decode(name, errors="replace")
        lower = sum(1 for ch in text if ch in _LOWER)
        upper = sum(1 for ch in text if ch in _UPPER)
        score = (lower + upper, lower)
        if lower > 0.5 * high and lower > upper and score > best_score:
            best, best_score = name, score
    if best is not None and not _plausible_cyrillic(data.decode(best, errors="replace")):
        return None   # another script's bytes under Cyrillic letters (Greek, Hebrew, Arabic, Japanese)
    return best


def _latin_punctuation(data: bytes) -> bool:
    """Mostly ASCII text whose other bytes are cp1252 punctuation (’ “ ” – — …): the usual
    English or Western text saved as cp1252, which statistical detectors guess badly."""
    high = [b for b in data if b >= 0x80]
    if not high or len(high) > 0.05 * len(data):
        return False
    try:
        chars = bytes(high).decode("cp1252")
    except UnicodeDecodeError:
        return False
    return all(unicodedata.category(ch)[0] in "PSZ" for ch in chars)


def _check_text(text: str, repair: bool = False, notes: list | None = None, invalid: int = 0) -> str:
    """Refuse binary data read as text; with ``repair`` remove stray control characters.

    Without ``repair``, more than 5 % control characters (or U+FFFD) in the first 20,000
    characters means binary. With it, control characters are removed and noted in ``notes``,
    and the file is refused only when unreadable characters (``invalid`` U+FFFD plus control
    characters) exceed :data:`MAX_DAMAGE` of it.
    """
    if not repair:
        sample = text[:20000]
        control = sum(1 for ch in sample if ord(ch) in _CONTROL or ch == "\ufffd")
        if sample and control > 0.05 * len(sample):
            raise UnreadableFile(f"binary file: {control} control characters in the first {len(sample)} characters")
        return text
    control = len(_CONTROL_CHARS.findall(text))
    if invalid + control > MAX_DAMAGE * max(len(text), 1):
        raise UnreadableFile(f"binary or undecodable file: {invalid + control} of its {len(text)} characters are "
                             "not text (invalid byte sequences or control characters)")
    if control:
        notes.append(f"{_plural(control, 'control character')} removed")
        text = _CONTROL_CHARS.sub("", text)
    return text
