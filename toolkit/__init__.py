"""Media-analysis toolkit for news coverage of the Nagorno-Karabakh conflict.

The data flow runs one way: files --ingest--> corpus DataFrame --segment/tokenize--> tokens
--> models and measures --> tables --> figures. The names below are the public API.

Each public function lives in a module named for its stage (``toolkit.tokenize`` is the
function, ``toolkit.tokens`` its module); no module is shadowed by a function.
"""
__version__ = "0.2.0"

import importlib
import importlib.util

#: the public names by the module (stage) that defines each; a name's module is imported on
#: first use (PEP 562), so that ``python -m toolkit report``, which runs the notebooks in a
#: kernel and analyses nothing itself, starts without scikit-learn, SciPy and the language tools
_PUBLIC = {
    "schema": ["CORPUS_COLUMNS", "describe_schema", "validate_corpus"],
    "corpus": ["IngestError", "IngestResult", "ingest", "load_corpus"],
    "snapshot": ["save_corpus"],
    "resources": ["Resource", "load_resource", "resources_manifest"],
    "units": ["make_units", "segment"],
    "tokens": ["Tokenizer", "tokenize"],
    "mentions": ["actors", "gazetteer"],
    "explore": ["collocations", "frequencies", "kwic"],
    "collect": ["collect_urls"],
    "topics": ["TopicModel", "fit_topics", "select_k"],
    "tone": ["actor_sentiment", "sentiment"],
    "targeted": ["targeted_sentiment"],
    "framing": ["frames", "naming"],
    "sourcing": ["sources"],
    "keywords": ["keyness"],
}
_MODULE_OF = {name: module for module, names in _PUBLIC.items() for name in names}


def __getattr__(name: str):
    """A public name (imported from its module on first use) or a submodule (``toolkit.cache``)."""
    if name in _MODULE_OF:
        value = getattr(importlib.import_module(f".{_MODULE_OF[name]}", __name__), name)
        globals()[name] = value
        return value
    if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = ["CORPUS_COLUMNS", "describe_schema", "validate_corpus", "IngestError", "IngestResult",
           "ingest", "load_corpus", "save_corpus", "Resource", "load_resource",
           "resources_manifest", "make_units", "segment", "Tokenizer", "tokenize", "actors",
           "gazetteer", "kwic", "collocations", "frequencies", "TopicModel", "fit_topics", "select_k",
           "sentiment", "actor_sentiment", "targeted_sentiment", "frames", "naming", "sources", "keyness", "collect_urls"]
