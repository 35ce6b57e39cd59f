"""Keyword checks shared by the measures: renamed options that still work for one release, and
no ``**options`` that swallow a typo.
"""
from __future__ import annotations

import warnings

_UNSET = object()


def renamed_option(function: str, old: str, new: str, old_value, new_value, *, unset=None):
    """The value to use when ``old`` was renamed ``new``: ``old_value`` (with a
    ``DeprecationWarning``) when the caller used the old name, else ``new_value``.

    Giving both is a ``TypeError``.

    Examples
    --------
    >>> renamed_option("f", "level", "unit", None, "sentence")
    'sentence'
    """
    if old_value is unset:
        return new_value
    if new_value is not unset:
        raise TypeError(f"{function}() got both {old}= (deprecated) and {new}=; use {new}= only")
    warnings.warn(f"{function}({old}=...) is deprecated and will be removed in 0.3.0; use {new}=...",
                  DeprecationWarning, stacklevel=3)
    return old_value


def check_options(function: str, options: dict, allowed) -> dict:
    """``options`` unchanged when every key is in ``allowed``, else ``TypeError`` naming the
    unknown ones and the allowed ones (``fit_topics(min_dff=5)`` must not pass silently).

    >>> check_options("f", {"min_df": 2}, ["min_df", "max_df"])
    {'min_df': 2}
    """
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise TypeError(f"{function}() got unexpected keyword argument(s) {unknown}; allowed: {sorted(allowed)}")
    return options
