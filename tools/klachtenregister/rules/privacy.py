"""privacy: persoonsgegevens die niet in het register horen.

Een burgerservicenummer (BSN: 9 cijfers die de elfproef doorstaan) mag nergens in een
klachtbestand staan; ook een IBAN-rekeningnummer (met geldig controlegetal) en een
geboortedatum ("geboren op ...", "geboortedatum: ...") worden gemeld. Het gevonden nummer
wordt in de melding gemaskeerd, zodat het niet in CI-logboeken belandt. Welke patronen
gezocht worden, staat in procedure.yml onder `privacy` (standaard alle drie):

    privacy:
      bsn: true
      iban: true
      geboortedatum: false

Goed:   klantnummer: K-1042
Fout:   BSN 111222333 in de omschrijving
"""

from __future__ import annotations

import re

from ..findings import Finding

CODE = "privacy"

# A BSN: nine digits, also written 1234.56.789 or 123 456 789, not part of a longer number.
# An IBAN: two capitals starting a word, two check digits, groups of four. In both the first
# character is matched before the look-behind (instead of a leading look-behind or \b), so
# that `re` can skip ahead to candidates: the same matches, several times faster.
_BSN = re.compile(r"\d(?<![\d.]\d)(?:\d{8}|\d{3}\.\d{2}\.\d{3}|\d{2} \d{3} \d{3})(?!\d)")
_IBAN = re.compile(r"([A-Z](?<!\w[A-Z])[A-Z]\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?)\b")
_BIRTH = re.compile(r"(geboren\s+(op\s+)?|geboortedatum\s*:?\s*)\d{1,4}[-/. ]\d{1,2}[-/. ]\d{2,4}", re.IGNORECASE)


def elfproef(digits: str) -> bool:
    if len(digits) != 9 or not digits.isdigit() or digits == "0" * 9:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0


def iban_valid(text: str) -> bool:
    compact = text.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def check(ctx):
    volgnummers = {c.rel: c.volgnummer for c in ctx.register.complaints}
    for doc in ctx.register.documents:
        for line, message in scan(doc.text, ctx.register.procedure.privacy):
            yield Finding(CODE, message, doc.rel, line, volgnummers.get(doc.rel))


def scan(text: str, patterns=("bsn", "iban", "geboortedatum")):
    """Yield (line, message) for personal data in `text`, for the enabled `patterns`."""
    for match in _BSN.finditer(text) if "bsn" in patterns else ():
        digits = re.sub(r"\D", "", match.group())
        if elfproef(digits):
            yield (
                _line(text, match),
                (
                    f"mogelijk BSN ({_mask(digits)}): een burgerservicenummer hoort niet in het "
                    "klachtenregister; verwijder het (gebruik het klantnummer)"
                ),
            )
    for match in _IBAN.finditer(text) if "iban" in patterns else ():
        if iban_valid(match.group(1)):
            yield (
                _line(text, match),
                (
                    f"mogelijk IBAN ({_mask(match.group(1).replace(' ', ''))}): een rekeningnummer "
                    "hoort niet in het klachtenregister; verwijder het"
                ),
            )
    for match in _BIRTH.finditer(text) if "geboortedatum" in patterns else ():
        yield _line(text, match), ("geboortedatum gevonden: die hoort niet in het klachtenregister; verwijder hem")


def mask_personal_data(text: str) -> str:
    """`text` with every BSN, IBAN and birth date masked as the findings mask them, for
    pages that show what a file once held (a value later removed is still in Git)."""
    text = _BSN.sub(lambda m: _masked_digits(m.group()) if elfproef(re.sub(r"\D", "", m.group())) else m.group(), text)
    text = _IBAN.sub(lambda m: _mask(m.group(1).replace(" ", "")) if iban_valid(m.group(1)) else m.group(), text)
    return _BIRTH.sub(lambda m: m.group(1) + re.sub(r"\d", "*", m.group()[len(m.group(1)) :]), text)


def _masked_digits(found: str) -> str:
    return _mask(re.sub(r"\D", "", found))


def _line(text: str, match: re.Match) -> int:
    return text.count("\n", 0, match.start()) + 1


def _mask(value: str) -> str:
    return value[:2] + "*" * (len(value) - 4) + value[-2:]


def masked(text: str, patterns=("bsn", "iban", "geboortedatum")) -> str:
    """`text` with every BSN and IBAN masked as in the messages, and a birth date left out:
    for what the product writes beyond the register itself (a letter)."""
    if "bsn" in patterns:
        text = _BSN.sub(lambda m: _masked_bsn(m.group()), text)
    if "iban" in patterns:
        text = _IBAN.sub(lambda m: _mask(m.group(1).replace(" ", "")) if iban_valid(m.group(1)) else m.group(), text)
    if "geboortedatum" in patterns:
        text = _BIRTH.sub(lambda m: m.group(1) + "[weggelaten]", text)
    return text


def _masked_bsn(found: str) -> str:
    digits = re.sub(r"\D", "", found)
    return _mask(digits) if elfproef(digits) else found
