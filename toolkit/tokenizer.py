"""The toolkit's tokenizer as a scikit-learn component (:class:`Tokenizer`), reached as
``toolkit.Tokenizer`` or ``toolkit.tokens.Tokenizer``: a module of its own, so that
:mod:`toolkit.tokens` is imported without scikit-learn.

Reads texts, returns token lists (as :func:`toolkit.tokens.tokenize`).
"""
from __future__ import annotations

import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from .tokens import phrase_resource, tokenize, tokenize_text


class Tokenizer(TransformerMixin, BaseEstimator):
    """The toolkit's tokenizer as a scikit-learn component for text (like ``CountVectorizer``).

    Use it as the ``analyzer`` of a vectorizer, or as a transformer producing token lists. It
    follows the estimator API that applies to text (parameters stored unchanged, ``clone``,
    ``get_params``/``set_params``, ``fit`` returns self, pickling; tested with the matching
    checks of ``sklearn.utils.estimator_checks``). Its tags declare string input, so
    ``check_estimator``, whose battery feeds numeric arrays, skips it, as it does text vectorizers.

    >>> from sklearn.feature_extraction.text import CountVectorizer
    >>> vec = CountVectorizer(analyzer=Tokenizer(language="ru"))
    >>> vec.fit_transform(["В Карабахе", "Карабах и Азербайджан"]).sum()
    np.int64(3)

    Parameters
    ----------
    language : ISO 639-1 code, or ``"auto"`` to detect each text's language.
    lemmatize, stopwords, phrases, extra_stopwords : as in :func:`tokenize`.
    """

    def __init__(self, language: str = "auto", lemmatize: bool = True, stopwords: bool = True,
                 phrases=True, extra_stopwords=()):
        self.language = language
        self.lemmatize = lemmatize
        self.stopwords = stopwords
        self.phrases = phrases
        self.extra_stopwords = extra_stopwords

    def __call__(self, text: str) -> list[str]:
        language = self.language
        if language == "auto":
            from .language import detect_language

            language = detect_language(text)
        return tokenize_text(text, language, lemmatize=self.lemmatize, stopwords_=self.stopwords,
                             phrases=self._phrases(), extra_stopwords=tuple(self.extra_stopwords))[0]

    def _phrases(self):
        """``phrases`` as tokenize_text takes it; a user's file is read once, not once per text."""
        if isinstance(self.phrases, bool):
            return self.phrases
        cached = getattr(self, "_phrases_loaded", None)
        if cached is None or cached[0] is not self.phrases:
            cached = (self.phrases, phrase_resource(self.phrases))
            self._phrases_loaded = cached
        return cached[1]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = False
        return tags

    def fit(self, X, y=None):
        """Nothing to learn: returns ``self``."""
        return self

    def transform(self, X) -> list[list[str]]:
        """Token lists for an iterable of texts (or a DataFrame with ``text``)."""
        if isinstance(X, pd.DataFrame):
            # a fixed language overrules the frame's column; "auto" follows the language rule
            frame = X if self.language == "auto" else X.assign(language=self.language)
            return tokenize(frame, lemmatize=self.lemmatize, stopwords=self.stopwords, phrases=self.phrases,
                            extra_stopwords=self.extra_stopwords)["tokens"].tolist()
        return [self(t) for t in X]
