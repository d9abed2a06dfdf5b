"""The addresses of the sample BAG: woonplaats, invented street names, house numbers, postcodes.

Street names are invented (themed after the buurt's name where it suggests a theme, such
as the Planetenbuurt's planets), unique per woonplaats; two lattice rows face one
street, odd numbers on one side and even on the other; postcodes are plausible PC6 codes
(a PC4 per wijk, consecutive within a woonplaats) but not real.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wijkplan.sample.bag_footprints import BuurtObjects

__all__ = ["WOONPLAATSEN", "Postcodes", "Streets", "addresses", "woonplaats_of"]

#: Woonplaats and first PC4 per wijk (GM0484: the former municipalities' villages).
WOONPLAATSEN: dict[str, dict[str, tuple[str, int]]] = {
    "GM0484": {
        "WK048431": ("Benthuizen", 2731),
        "WK048445": ("Aarlanderveen", 2453),
        "WK048470": ("Boskoop", 2771),
        "WK048471": ("Zwammerdam", 2471),
        "WK048491": ("Hazerswoude-Dorp", 2391),
        "WK048494": ("Hazerswoude-Rijndijk", 2394),
        "WK048496": ("Koudekerk aan den Rijn", 2396),
        "*": ("Alphen aan den Rijn", 2401),
    },
}

_PC6_SIZE = 20
_LETTERS = [
    a + b
    for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if a + b not in ("SA", "SD", "SS")
]

_THEMES: dict[str, tuple[str, ...]] = {
    "planeten": ("Mercurius", "Venus", "Mars", "Jupiter", "Saturnus", "Uranus", "Neptunus",
                 "Pluto", "Hercules", "Orion", "Pegasus", "Perseus", "Sirius", "Vega"),
    "edelstenen": ("Robijn", "Saffier", "Smaragd", "Diamant", "Opaal", "Topaas", "Granaat",
                   "Parel", "Jade", "Amethist", "Agaat", "Onyx", "Turkoois", "Beril"),
    "componisten": ("Bach", "Mozart", "Beethoven", "Chopin", "Brahms", "Haydn", "Schubert",
                    "Vivaldi", "Verdi", "Ravel", "Grieg", "Sweelinck", "Mahler", "Bartok"),
    "zeehelden": ("De Ruyter", "Tromp", "Piet Hein", "Van Speijk", "Evertsen", "Van Galen",
                  "Kortenaer", "Van Ghent", "Van Heemskerck", "Karel Doorman", "Van Brakel"),
    "bomen": ("Linden", "Eiken", "Beuken", "Essen", "Wilgen", "Iepen", "Populieren",
              "Kastanje", "Berken", "Elzen", "Platanen", "Acacia", "Esdoorn", "Lariks"),
    "bloemen": ("Boterbloem", "Madelief", "Korenbloem", "Klaproos", "Klaver", "Pinksterbloem",
                "Margriet", "Kamille", "Zuring", "Paardenbloem", "Duizendblad", "Akelei"),
    "vogel": ("Merel", "Lijster", "Vink", "Spreeuw", "Mees", "Zwaluw", "Reiger", "Kievit",
              "Grutto", "Wulp", "Roodborst", "Specht", "Tureluur", "Scholekster"),
    "appel": ("Elstar", "Jonagold", "Goudreinette", "Cox", "Notarisappel", "Santana",
              "Golden", "Schone van Boskoop", "Bellefleur", "Present van Engeland"),
    "paddestoel": ("Cantharel", "Morielje", "Boleet", "Champignon", "Inktzwam", "Parasolzwam",
                   "Russula", "Oesterzwam", "Truffel", "Stuifzwam"),
    "stromen": ("Maas", "Waal", "IJssel", "Lek", "Vecht", "Amstel", "Dommel", "Dinkel",
                "Berkel", "Regge", "Schelde", "Linge"),
}  # fmt: skip
_STEMS = (
    "Kerk", "Molen", "School", "Dorps", "Rijn", "Wetering", "Veld", "Weide", "Akker",
    "Hoeve", "Tuin", "Boomgaard", "Sluis", "Brug", "Kade", "Haven", "Dijk", "Vaart",
    "Sloot", "Meer", "Zand", "Klei", "Veen", "Riet", "Smeden", "Kuipers", "Wevers",
    "Bakkers", "Schippers", "Vissers", "Rembrandt", "Vermeer", "Frans Hals", "Jan Steen",
    "Mesdag", "Mondriaan", "Breitner", "Jongkind", "Toorop", "Vondel", "Bilderdijk",
    "Multatuli", "Bredero", "Huygens", "Jacob Cats", "Erasmus", "Spinoza", "Grotius",
    *_THEMES["bomen"], *_THEMES["vogel"], *_THEMES["bloemen"], *_THEMES["stromen"],
)  # fmt: skip
_SUFFIXES = ("straat", "laan", "weg", "hof", "pad", "plein", "singel", "kade", "dreef", "erf")

_PREFIXES = ("", "Oude ", "Nieuwe ", "Korte ", "Lange ")


class Streets:
    """Invented street names, unique per woonplaats, themed after the buurt's name.

    Every woonplaats draws from its own shuffled pool (stems × suffixes, then with "Oude",
    "Nieuwe", ... in front), a themed buurt first from its theme's pool.
    """

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.pools: dict[tuple[str, str], list[str]] = {}
        self.taken: dict[str, set[str]] = {}

    def _pool(self, woonplaats: str, theme: str) -> list[str]:
        key = (woonplaats, theme)
        if key not in self.pools:
            stems = _THEMES.get(theme, _STEMS)
            names = [f"{stem}{suf}" for stem in stems for suf in _SUFFIXES]
            self.rng.shuffle(names)
            if not theme:  # the generic pool also holds the prefixed names, after the plain ones
                more = [
                    f"{pre}{stem}{suf}"
                    for pre in _PREFIXES[1:]
                    for stem in stems
                    for suf in _SUFFIXES
                ]
                self.rng.shuffle(more)
                names += more
            self.pools[key] = names[::-1]  # popped from the end
        return self.pools[key]

    def name(self, woonplaats: str, buurtnaam: str) -> str:
        taken = self.taken.setdefault(woonplaats, set())
        lower = buurtnaam.lower()
        theme = next((k for k in _THEMES if k in lower), "")
        for pool_theme in (theme, "") if theme else ("",):
            pool = self._pool(woonplaats, pool_theme)
            while pool:
                candidate = pool.pop()
                if candidate not in taken:
                    taken.add(candidate)
                    return candidate
        fallback = f"Straat {len(taken) + 1}"
        taken.add(fallback)
        return fallback


def woonplaats_of(gm: str, wijkcode: str, buurten: pd.DataFrame) -> tuple[str, int]:
    """The woonplaats of a wijk and the first PC4 of its postcodes."""
    table = WOONPLAATSEN.get(gm)
    if table is not None:
        return table.get(wijkcode, table["*"])
    if "gemeentenaam" in buurten.columns and buurten["gemeentenaam"].notna().any():
        name = str(buurten["gemeentenaam"].dropna().iloc[0])
    else:
        name = gm
    digest = sum(ord(ch) * (i + 1) for i, ch in enumerate(gm))
    return name, 1000 + digest % 8800


class Postcodes:
    """PC6 codes: a PC4 per wijk (consecutive within a woonplaats), letters per group."""

    def __init__(self) -> None:
        self.used: dict[int, int] = {}
        self.of_wijk: dict[str, int] = {}
        self.next_of_place: dict[str, int] = {}

    def pc4(self, wijkcode: str, woonplaats: str, base: int) -> int:
        if wijkcode not in self.of_wijk:
            self.of_wijk[wijkcode] = self.next_of_place.get(woonplaats, base)
            self.next_of_place[woonplaats] = self.of_wijk[wijkcode] + 1
        return self.of_wijk[wijkcode]

    def next(self, pc4: int) -> str:
        n = self.used.get(pc4, 0)
        while n >= len(_LETTERS):  # a full PC4: further on
            pc4 += 100
            n = self.used.get(pc4, 0)
        self.used[pc4] = n + 1
        return f"{pc4}{_LETTERS[n]}"


def addresses(
    objects: BuurtObjects,
    rank: np.ndarray,
    street_names: dict[int, str],
    pc4: int,
    codes: Postcodes,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per verblijfsobject: address order, street, house number and postcode.

    Two lattice rows face one street: odd numbers on one side, even on the other, in
    pand order along the street; a verblijfsobject marked ``vbo_same_number`` (an upstairs
    home) shares the number before it.
    """
    vp = objects.vbo_pand
    row = objects.pand_row[vp]
    vorder = np.lexsort((np.arange(len(vp)), rank[vp]))
    street = np.array([street_names[r // 2] for r in row], dtype=object)
    number = np.zeros(len(vp), dtype="int64")
    postcode = np.empty(len(vp), dtype=object)
    for r in np.unique(row):
        idx = vorder[row[vorder] == r]
        step = (~objects.vbo_same_number[idx]).astype("int64")
        step[0] = 1
        number[idx] = 2 * np.cumsum(step) - (1 if r % 2 == 0 else 0)
    for s in np.unique(row // 2):
        idx = vorder[row[vorder] // 2 == s]
        groups = (number[idx] - 1) // (2 * _PC6_SIZE)
        for g in np.unique(groups):
            postcode[idx[groups == g]] = codes.next(pc4)
    return vorder, street, number, postcode
