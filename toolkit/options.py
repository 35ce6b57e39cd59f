"""Keyword checks shared by the measures: renamed options that still work for one release, and
no ``**options`` that swallow a typo.
"""
from __future__ import annotations

import warnings

_UNSET = object()


class _Default:
    """The default of an option that only some methods use: tells "not given" from any value."""

    def __repr__(self) -> str:
        return "<default>"


#: signature default of method-specific options (see :func:`method_options`)
DEFAULT = _Default()


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


def method_options(function: str, method: str, given: dict, applies: dict) -> dict:
    """The method-specific options with their defaults filled in; ``TypeError`` naming every option
    given that the chosen ``method`` does not use (it would be ignored silently otherwise).

    ``given`` maps option -> value (:data:`DEFAULT` when the caller left it out); ``applies`` maps
    option -> ``(methods that use it, default)``.

    Examples
    --------
    >>> applies = {"n_jobs": (("crosslingual",), 1), "max_iter": (("lda", "nmf"), 50)}
    >>> method_options("fit_topics", "lda", {"n_jobs": DEFAULT, "max_iter": 80}, applies)
    {'n_jobs': 1, 'max_iter': 80}
    >>> method_options("fit_topics", "lda", {"n_jobs": 2, "max_iter": DEFAULT}, applies)
    Traceback (most recent call last):
    ...
    TypeError: fit_topics(method='lda') does not use n_jobs (only method='crosslingual' does); leave it out
    """
    wrong = sorted(name for name, value in given.items() if value is not DEFAULT and method not in applies[name][0])
    if wrong:
        uses = "; ".join(f"{name} (only method={' or '.join(map(repr, applies[name][0]))} does)" for name in wrong)
        raise TypeError(f"{function}(method={method!r}) does not use {uses}; leave {'it' if len(wrong) == 1 else 'them'} out")
    return {name: applies[name][1] if value is DEFAULT else value for name, value in given.items()}
