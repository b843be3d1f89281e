"""Screening of free text: no imagery and no direct identifiers of a child.

Casework text may describe what is seen, never carry a picture or say who a
person is. Each check names what to remove, so the investigator can fix the text
rather than guess (design principles 1 and 2).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_DATA_URI = re.compile(r"data:[\w.+-]*/?[\w.+-]*[;,]", re.IGNORECASE)
# Long unbroken runs of base64 alphabet: encoded files, not words.
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/=_-]{80,}")
# Magic numbers of image and video formats, as text, hex or base64 would show them.
_IMAGE_SIGNATURES = re.compile(
    r"(iVBORw0KGgo|/9j/4|R0lGOD|UklGR|AAAAIGZ0eXA|\\x89PNG|89504e470d0a1a0a|ffd8ffe[0-9a-f]"
    r"|474946383[79]61|\x89PNG|GIF8[79]a|\xff\xd8\xff)",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Seven or more digits, allowing the separators people write numbers with.
_PHONE = re.compile(r"(?<![\w.])(\+|00)?\d[\d\s().-]{6,}\d(?![\w.])")
_URL = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
# Hosts where a URL path names a person: social networks, messengers, personal pages.
_PERSONAL_HOSTS = re.compile(
    r"(facebook\.com|fb\.com|instagram\.com|twitter\.com|x\.com|tiktok\.com|snapchat\.com"
    r"|vk\.com|ok\.ru|linkedin\.com|youtube\.com/(user|c|@)|t\.me|telegram\.me|wa\.me"
    r"|whatsapp\.com|discord\.gg|discord\.com|reddit\.com/u(ser)?/|onlyfans\.com"
    r"|kik\.me|skype\.com|weibo\.com|qq\.com)",
    re.IGNORECASE,
)
_PERSONAL_PATH = re.compile(r"/(~|@|users?/|profiles?/|people/|members?/|u/)", re.IGNORECASE)


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def screening_problems(text: str) -> list[str]:
    """What in ``text`` must be removed before it can be stored (empty when none)."""
    if not text:
        return []
    problems: list[str] = []
    if _DATA_URI.search(text):
        problems.append(str(_("Remove the data: URI; VictimID holds no images or files.")))
    if _IMAGE_SIGNATURES.search(text):
        problems.append(str(_("Remove the encoded image; VictimID holds no images.")))
    elif _BASE64_RUN.search(text):
        problems.append(
            str(_("Remove the long encoded block (base64 or similar); paste no files."))
        )
    if _EMAIL.search(text):
        problems.append(str(_("Remove the e-mail address; describe, do not identify.")))
    for match in _PHONE.finditer(text):
        if _digits(match.group(0)) >= 7:
            problems.append(str(_("Remove the telephone number; describe, do not identify.")))
            break
    for match in _URL.finditer(text):
        url = match.group(0)
        if _PERSONAL_HOSTS.search(url) or _PERSONAL_PATH.search(url):
            problems.append(
                str(_("Remove the link to a personal page or profile: {url}")).format(url=url)
            )
    return problems


def screen_text(value: str) -> None:
    """Validator: refuse text carrying imagery or direct identifiers, saying what to remove."""
    problems = screening_problems(value)
    if problems:
        raise ValidationError(problems, code="screening")


def screen_fields(values: dict[str, str | None]) -> None:
    """Screen several fields at once; errors come back keyed by field name."""
    errors: dict[str, list[str]] = {}
    for field, value in values.items():
        problems = screening_problems(value or "")
        if problems:
            errors[field] = problems
    if errors:
        raise ValidationError(errors, code="screening")
