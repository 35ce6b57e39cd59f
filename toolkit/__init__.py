"""Media-analysis toolkit for news coverage of the Nagorno-Karabakh conflict.

The data flow runs one way: files --ingest--> corpus DataFrame --segment/tokenize--> tokens
--> models and measures --> tables --> figures. The names below are the public API.
"""
__version__ = "0.1.0"

from .schema import CORPUS_COLUMNS, describe_schema, validate_corpus  # noqa: E402
from .ingest import IngestError, IngestResult, ingest, load_corpus  # noqa: E402
from .snapshot import save_corpus  # noqa: E402

__all__ = ["CORPUS_COLUMNS", "describe_schema", "validate_corpus", "IngestError", "IngestResult",
           "ingest", "load_corpus", "save_corpus"]
