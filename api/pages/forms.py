"""What a form page shows again: the values as typed (or as stored) and why each was refused."""

from __future__ import annotations

from collections.abc import Mapping

# Form values by field name: mostly the text posted, sometimes a stored value (a date, a flag,
# a list of chosen ids); the templates read them with ``values.get(name)``.
Values = Mapping[str, object]
# Why a field was refused, by field name (``"form"`` for the whole form).
Errors = Mapping[str, str]
