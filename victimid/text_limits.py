"""Text over a field's limit is refused with the limit and its length, never cut short.

One wording for pages, the API and the services ("At most 5,000 characters; this has
5,214."), so whoever pasted too much knows how much to remove. It lives here, below both
apps, because the API's text field (``victimid.api.serializers.StrictCharField``) and the
casework forms and services all refuse with it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import formats
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

__all__ = ["TextLimitValidator", "over_limit_message"]

_MESSAGE = _("At most %(limit)s characters; this has %(length)s.")


def _grouped(number: int) -> str:
    return formats.number_format(number, force_grouping=True)


def over_limit_message(*, limit: int, length: int) -> str:
    """The refusal of ``length`` characters where ``limit`` is the most a field takes."""
    return str(_MESSAGE) % {"limit": _grouped(limit), "length": _grouped(length)}


@deconstructible
class TextLimitValidator(MaxLengthValidator):
    """``MaxLengthValidator`` that says how long the text is, with grouped digits."""

    message = _MESSAGE
    code = "max_length"

    def __call__(self, value: Any) -> None:
        length = self.clean(value)
        if length > self.limit_value:
            raise ValidationError(
                self.message,
                code=self.code,
                params={"limit": _grouped(self.limit_value), "length": _grouped(length)},
            )
