"""privacy: persoonsgegevens die niet in het register horen.

Een burgerservicenummer (BSN: 9 cijfers die de elfproef doorstaan) mag nergens in een
klachtbestand staan; ook een IBAN-rekeningnummer (met geldig controlegetal) en een
geboortedatum ("geboren op 3 mei 1980", "geboortedatum: 03-05-1980", "geb. 3-5-1980")
worden gemeld, ook een BSN in groepjes (123-456-789, 123.456.789, 123 456 789). Het gevonden
nummer wordt in elke melding gemaskeerd, zodat het niet in CI-logboeken belandt, en ook op de
site, in het jaaroverzicht en in de CSV staat het nooit voluit. Welke patronen
gezocht worden, staat in procedure.yml onder `privacy` (standaard alle drie):

    privacy:
      bsn: true
      iban: true
      geboortedatum: false

Goed:   klantnummer: K-1042
Fout:   BSN 111222333 in de omschrijving
"""

from __future__ import annotations

from ..findings import Finding
from ..personal import PATTERNS, elfproef, find, iban_valid, mask

__all__ = ["CODE", "check", "elfproef", "iban_valid", "mask_personal_data", "masked", "scan"]

CODE = "privacy"

_MESSAGES = {
    "bsn": "mogelijk BSN ({}): een burgerservicenummer hoort niet in het klachtenregister; verwijder het "
    "(gebruik het klantnummer)",
    "iban": "mogelijk IBAN ({}): een rekeningnummer hoort niet in het klachtenregister; verwijder het",
    "geboortedatum": "geboortedatum gevonden ({}): die hoort niet in het klachtenregister; verwijder hem",
}


def check(ctx):
    volgnummers = {c.rel: c.volgnummer for c in ctx.register.complaints}
    for doc in ctx.register.documents:
        for line, message in scan(doc.text, ctx.register.procedure.privacy):
            yield Finding(CODE, message, doc.rel, line, volgnummers.get(doc.rel))


def scan(text: str, patterns=PATTERNS):
    """Yield (line, message) for personal data in `text`, for the enabled `patterns`."""
    line, counted = 1, 0  # lines counted once over the text, however many are found
    for found in sorted(find(text, patterns), key=lambda f: f.start):
        line += text.count("\n", counted, found.start)
        counted = found.start
        yield line, _MESSAGES[found.kind].format(found.shown)


def masked(text: str, patterns=PATTERNS) -> str:
    """`text` with every BSN, IBAN and birth date masked: `personal.mask`, the one masking
    function of every writer (kept under this name for the letters)."""
    return mask(text, patterns)


def mask_personal_data(text: str) -> str:
    """`text` with every BSN, IBAN and birth date masked, for pages that show what a file once
    held (a value later removed is still in Git): `personal.mask` too."""
    return mask(text)
