"""Regions of the world for the oversight figures: the UN geoscheme (M49): its five regions
(and Antarctica, which M49 leaves outside them).

Every country of ISO 3166-1 (as ``django_countries`` lists them) is in exactly one region;
``tests/cases/test_regions.py`` holds the mapping to that. Figures by region are the sums
of their countries' figures, which is why the suppression of small counts treats a region
as the total of its countries (``cases.suppression``).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = ["REGIONS", "REGION_OF_COUNTRY", "WORLD", "region_label", "region_of"]

# The code of the whole world in the figures (M49 "001").
WORLD = "001"

# M49 region code -> (name, ISO 3166-1 alpha-2 codes of its countries and territories).
_MEMBERS: dict[str, tuple[Promise, str]] = {
    "002": (
        _("Africa"),
        "DZ EG LY MA SD TN EH IO BI KM DJ ER ET TF KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW"
        " AO CM CF TD CG CD GQ GA ST BW SZ LS NA ZA BJ BF CV CI GM GH GN GW LR ML MR NE NG SH"
        " SN SL TG",
    ),
    "019": (
        _("Americas"),
        "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI BZ"
        " CR SV GT HN MX NI PA AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE BM CA GL PM US",
    ),
    "142": (
        _("Asia"),
        "KZ KG TJ TM UZ CN HK MO KP JP MN KR TW BN KH ID LA MY MM PH SG TH TL VN AF BD BT IN IR"
        " MV NP PK LK AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE",
    ),
    "150": (
        _("Europe"),
        "BY BG CZ HU PL MD RO RU SK UA AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB AL AD BA"
        " HR GI GR VA IT MT ME MK PT SM RS SI ES AT BE FR DE LI LU MC NL CH",
    ),
    "009": (
        _("Oceania"),
        "AU CX CC HM NZ NF FJ NC PG SB VU GU KI MH FM NR MP PW AS CK PF NU PN WS TK TO TV UM WF",
    ),
    # Antarctica is in no M49 region; it is its own, so that every code has one.
    "010": (_("Antarctica"), "AQ"),
}

REGIONS: dict[str, Promise] = {code: name for code, (name, _members) in _MEMBERS.items()}
REGION_OF_COUNTRY: dict[str, str] = {
    country: region for region, (_name, members) in _MEMBERS.items() for country in members.split()
}


def region_of(country: str) -> str:
    """The M49 region of an ISO 3166-1 alpha-2 code; unknown codes raise KeyError."""
    return REGION_OF_COUNTRY[str(country).upper()]


def region_label(code: str) -> str:
    """The name of a region, or of the world."""
    if code == WORLD:
        return str(_("World"))
    return str(REGIONS[code])
