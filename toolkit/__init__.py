"""Media-analysis toolkit for news coverage of the Nagorno-Karabakh conflict.

The data flow runs one way: files --ingest--> corpus DataFrame --segment/tokenize--> tokens
--> models and measures --> tables --> figures. The names below are the public API.

Each public function lives in a module named for its stage (``toolkit.tokenize`` is the
function, ``toolkit.tokens`` its module); no module is shadowed by a function.
"""
__version__ = "0.2.0"

from .schema import CORPUS_COLUMNS, describe_schema, validate_corpus  # noqa: E402
from .corpus import IngestError, IngestResult, ingest, load_corpus  # noqa: E402
from .snapshot import save_corpus  # noqa: E402
from .resources import Resource, load_resource, resources_manifest  # noqa: E402
from .units import make_units, segment  # noqa: E402
from .tokens import Tokenizer, tokenize  # noqa: E402
from .mentions import actors, gazetteer  # noqa: E402
from .explore import collocations, frequencies, kwic  # noqa: E402
from .collect import collect_urls  # noqa: E402
from .topics import TopicModel, fit_topics, select_k  # noqa: E402
from .tone import actor_sentiment, sentiment  # noqa: E402
from .targeted import targeted_sentiment  # noqa: E402
from .framing import frames, naming  # noqa: E402
from .sourcing import sources  # noqa: E402
from .keywords import keyness  # noqa: E402

__all__ = ["CORPUS_COLUMNS", "describe_schema", "validate_corpus", "IngestError", "IngestResult",
           "ingest", "load_corpus", "save_corpus", "Resource", "load_resource",
           "resources_manifest", "make_units", "segment", "Tokenizer", "tokenize", "actors",
           "gazetteer", "kwic", "collocations", "frequencies", "TopicModel", "fit_topics", "select_k",
           "sentiment", "actor_sentiment", "targeted_sentiment", "frames", "naming", "sources", "keyness", "collect_urls"]
