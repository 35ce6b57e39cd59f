"""Decoding stage: bytes of a file -> text, whatever the encoding the scraper left.

Reads raw bytes, returns ``(text, notes)`` or raises :class:`UnreadableFile` with a reason a
person understands (binary data, undecodable text).
"""
from __future__ import annotations

import codecs

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


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """Decode file bytes to text; return ``(text, notes)``.

    Order: a byte-order mark; strict UTF-8; UTF-8 with a broken tail (a truncated multi-byte
    sequence is dropped and noted); UTF-16 without a mark; otherwise the encoding that
    charset-normalizer finds most plausible (cp1251, koi8-r, ...). Binary data is refused.

    Examples
    --------
    >>> decode_bytes("Карабах".encode("cp1251"))
    ('Карабах', ['decoded as cp1251'])
    >>> decode_bytes("Карабах".encode("utf-8")[:-1])[1]
    ['truncated UTF-8 sequence at the end of the file dropped (1 byte)']
    """
    if not data.strip():
        raise UnreadableFile("empty file")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), []
            except UnicodeDecodeError as exc:
                raise UnreadableFile(f"starts with a {name} byte-order mark but is not valid {name}: {exc.reason}")
    if 0 in data[:4000]:
        utf16 = _looks_utf16(data)
        if utf16:
            try:
                return _check_text(data.decode(utf16)), [f"decoded as {utf16} (no byte-order mark)"]
            except UnicodeDecodeError:
                pass
        raise UnreadableFile("binary file: it contains NUL bytes and is not UTF-16 text")
    try:
        return _check_text(data.decode("utf-8")), []
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            dropped = len(data) - exc.start
            text = _check_text(data[: exc.start].decode("utf-8"))
            return text, [f"truncated UTF-8 sequence at the end of the file dropped ({dropped} byte{'s' * (dropped > 1)})"]
    cyrillic = _single_byte_cyrillic(data)
    if cyrillic:
        try:
            return _check_text(data.decode(cyrillic)), [f"decoded as {cyrillic}"]
        except UnicodeDecodeError:  # a byte the encoding lacks: not this encoding after all
            pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UnreadableFile("binary or undecodable file: no text encoding fits its bytes")
    text = _check_text(str(best))
    return text, [f"decoded as {best.encoding}"]


def _single_byte_cyrillic(data: bytes) -> str | None:
    """cp1251 or koi8-r when the bytes read as mostly lowercase Cyrillic in one of them.

    Running text is mostly lowercase; the two encodings swap the lower- and uppercase ranges,
    so the right one is the one giving more lowercase letters. Statistical detectors confuse
    short Cyrillic texts with East Asian encodings, hence this check first.
    """
    high = sum(1 for b in data if b >= 0x80)
    if high < 0.2 * len(data.strip()):
        return None
    scores = {}
    for name in ("cp1251", "koi8-r"):
        text = data.decode(name, errors="replace")
        lower = sum(1 for ch in text if "а" <= ch <= "я" or ch in "ёіїєґў")
        upper = sum(1 for ch in text if "А" <= ch <= "Я" or ch in "ЁІЇЄҐЎ")
        scores[name] = (lower, upper)
    name = max(scores, key=lambda n: scores[n][0])
    lower, upper = scores[name]
    return name if lower > 0.5 * high and lower > upper else None


def _check_text(text: str) -> str:
    sample = text[:20000]
    control = sum(1 for ch in sample if ord(ch) in _CONTROL or ch == "\ufffd")
    if sample and control > 0.05 * len(sample):
        raise UnreadableFile(f"binary file: {control} control characters in the first {len(sample)} characters")
    return text
