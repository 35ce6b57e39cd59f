"""Decoding: the encodings scraped files come in, and nothing but UnreadableFile escapes."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.decode import UnreadableFile, decode_bytes

# an invented sentence
TEXT = "Переговоры о Карабахе прошли в Стамбуле, сообщают дипломаты."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1251", "koi8-r"])
def test_known_encodings_round_trip(encoding):
    text, notes = decode_bytes(TEXT.encode(encoding))
    assert text == TEXT


def test_a_byte_cp1251_lacks_does_not_crash():
    # 0x98 is undefined in cp1251: the Cyrillic guess must give way, not raise UnicodeDecodeError
    try:
        decode_bytes(b"\x98\xe0\xe0")
    except UnreadableFile:
        pass


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=0, max_size=300))
def test_only_unreadable_file_escapes(data):
    try:
        text, notes = decode_bytes(data)
    except UnreadableFile as exc:
        assert str(exc)
    else:
        assert isinstance(text, str) and isinstance(notes, list)
