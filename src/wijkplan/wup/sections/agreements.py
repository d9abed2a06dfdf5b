"""The section "Prestatieafspraken" of the draft wijkuitvoeringsplan.

The agreements of the ledger that name the area (directly or through a regie area or
warmtegebied) and the municipality-wide ones, each with its current status and progress
from the status store.
"""

from __future__ import annotations

from collections.abc import Iterable

from wijkplan.dossier.model import AfspraakRow, Dossier
from wijkplan.numbers import percent
from wijkplan.wup.model import Block, Paragraph, Section, Table
from wijkplan.wup.text import dutch_date, empty

__all__ = ["agreements"]


def agreements(d: Dossier) -> Section:
    """The section "Prestatieafspraken": the area's agreements, then the municipality-wide ones."""
    a = d.afspraken
    if not a.beschikbaar:
        return Section("Prestatieafspraken", (empty("Geen afsprakenregister in deze build."),))
    blocks: list[Block] = [
        Paragraph(
            f"Uit {a.register or 'het afsprakenregister'}"
            + (f" (ondertekend {dutch_date(a.ondertekend)})" if a.ondertekend else "")
            + "; de status is de huidige stand in de statusopslag."
        )
    ]
    header = ("Afspraak", "Titel", "Trekker", "Status", "Via")

    def rows(items: Iterable[AfspraakRow]) -> tuple[tuple[str, ...], ...]:
        return tuple(
            (
                r.afspraak_id,
                r.titel,
                r.trekker,
                r.status + (f" ({percent(r.voortgang / 100)})" if r.voortgang is not None else ""),
                r.via,
            )
            for r in items
        )

    if a.direct:
        blocks.append(Table(header, rows(a.direct), caption="Afspraken over dit gebied"))
    else:
        blocks.append(empty("Geen afspraken die dit gebied direct noemen."))
    if a.gemeentebreed:
        blocks.append(Table(header, rows(a.gemeentebreed), caption="Gemeentebrede afspraken"))
    return Section("Prestatieafspraken", tuple(blocks))
