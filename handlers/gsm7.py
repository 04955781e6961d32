"""GSM 03.38 character sets, septet counts and SMS segment counts for outgoing texts."""

from __future__ import annotations

# The GSM 03.38 basic character set, in table order (0x00-0x7F). 0x1B is the escape to
# the extension table, not a character, so it is left out. 0x09 is the capital Ç.
BASIC_CHARACTERS: frozenset[str] = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)

# The extension table: each of these is sent as ESC + char, so it costs two septets.
EXTENSION_CHARACTERS: frozenset[str] = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE = 160  # septets in a single SMS
GSM7_PART = 153  # septets per part of a concatenated SMS (7 go to the UDH)
UCS2_SINGLE = 70  # UTF-16 code units in a single SMS
UCS2_PART = 67  # UTF-16 code units per part of a concatenated SMS


def _septets_of(char: str) -> int | None:
    if char in BASIC_CHARACTERS:
        return 1
    if char in EXTENSION_CHARACTERS:
        return 2
    return None


def is_gsm7(text: str) -> bool:
    """True when every character of `text` is in the GSM 03.38 basic or extension table.

    Text is taken exactly as given (no Unicode normalisation): a decomposed "é" (e plus a
    combining accent) is not GSM-7, the precomposed "é" is.
    """
    return all(_septets_of(c) is not None for c in text)


def non_gsm7_characters(text: str) -> list[str]:
    """The distinct characters of `text` that GSM-7 cannot carry, in order of first use."""
    seen: dict[str, None] = {}
    for char in text:
        if _septets_of(char) is None:
            seen.setdefault(char, None)
    return list(seen)


def septets(text: str) -> int:
    """Septets `text` takes in GSM-7: one per basic character, two per extension character.

    Raises ValueError if `text` has a character GSM-7 cannot carry.
    """
    total = 0
    for char in text:
        size = _septets_of(char)
        if size is None:
            raise ValueError(f"not a GSM-7 character: {char!r}")
        total += size
    return total


def _parts(units: list[int], single: int, part: int) -> int:
    """Segments for a message whose characters take `units` each, never splitting one."""
    total = sum(units)
    if total == 0:
        return 0
    if total <= single:
        return 1
    count, used = 1, 0
    for size in units:
        if used + size > part:  # an escape pair or surrogate pair never straddles parts
            count, used = count + 1, 0
        used += size
    return count


def sms_segments(text: str) -> int:
    """How many SMS segments `text` is sent as; 0 for the empty text.

    GSM-7 when every character allows it (160 septets in one SMS, 153 per part when
    concatenated), otherwise UCS-2 (70 UTF-16 code units in one, 67 per part; characters
    outside the BMP such as most emoji take two units). A two-septet extension character
    or a surrogate pair is never split across parts, as real encoders do.
    """
    gsm = [_septets_of(c) for c in text]
    if all(size is not None for size in gsm):
        return _parts([s for s in gsm if s is not None], GSM7_SINGLE, GSM7_PART)
    units = [2 if ord(c) > 0xFFFF else 1 for c in text]
    return _parts(units, UCS2_SINGLE, UCS2_PART)


def _pieces(line: str, segments: int) -> list[str]:
    """A line too long for `segments` segments, cut between words into pieces that fit."""
    pieces: list[str] = []
    for word in line.split(" "):
        joined = f"{pieces[-1]} {word}" if pieces else word
        if pieces and sms_segments(joined) <= segments:
            pieces[-1] = joined
        else:
            pieces.append(word)
    return pieces


def pack_lines(lines: list[str], segments: int = 2) -> list[str]:
    """Lines joined by line breaks into as few texts as fit `segments` SMS segments each,
    breaking only between lines (or, for a line that alone is too long, between words)."""
    texts: list[str] = []
    for line in lines:
        for piece in _pieces(line, segments) if sms_segments(line) > segments else [line]:
            joined = f"{texts[-1]}\n{piece}" if texts else piece
            if texts and sms_segments(joined) <= segments:
                texts[-1] = joined
            else:
                texts.append(piece)
    return texts
