"""onafhankelijkheid: de directie is betrokken, maar behandelt de klacht zelf.

Stap 5: is de directie betrokken of het onderwerp van de klacht, dan handelt een
onafhankelijke derde de klacht af.

Goed:   directie_betrokken: true  met  behandelaar.rol: onafhankelijke-derde
Fout:   directie_betrokken: true  met  behandelaar.rol: directie
"""

from __future__ import annotations

from ..findings import Finding

CODE = "onafhankelijkheid"


def check(ctx):
    for c in ctx.register.complaints:
        rol = c.behandelaar.rol if c.behandelaar else None
        if c.directie_betrokken and rol and rol != "onafhankelijke-derde":
            yield Finding(
                CODE,
                "de directie is betrokken (directie_betrokken: true), dus een onafhankelijke "
                "derde moet de klacht behandelen (stap 5): behandelaar.rol moet "
                "onafhankelijke-derde zijn",
                c.rel,
                c.line("behandelaar.rol"),
                c.volgnummer,
                veld="behandelaar.rol",
            )
