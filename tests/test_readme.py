"""Every code block of README.md runs (issue 10): the Python blocks are executed in order, in one
namespace, from a temporary folder holding a copy of ``seeds/``; a block that cannot run here
(a shell command, the network) carries a marker line right above it:

    <!-- readme-test: skip (the reason) -->

and the test checks that every skipped block gives a reason. No README text is invented here.
"""
from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
_FENCE = re.compile(r"^(?P<marker><!-- readme-test: skip \((?P<reason>[^)]*)\) -->\n)?```(?P<lang>\w*)\n(?P<code>.*?)^```",
                    re.M | re.S)


def blocks() -> list[dict]:
    """The fenced code blocks of the README: language, code, line, skip reason (or None)."""
    text = README.read_text(encoding="utf-8")
    return [{"lang": m["lang"], "code": m["code"], "line": text.count("\n", 0, m.start("code")) + 1,
             "skip": m["reason"] if m["marker"] else None} for m in _FENCE.finditer(text)]


def test_every_block_runs_or_says_why_not():
    found = blocks()
    assert len(found) >= 5
    for block in found:
        if block["skip"] is not None:
            assert len(block["skip"].strip()) >= 10, f"README line {block['line']}: give a reason to skip"
        else:
            assert block["lang"] in ("python", "text"), \
                f"README line {block['line']}: a {block['lang'] or 'plain'} block must run as Python, be " \
                "tagged text, or carry a skip marker with a reason"


def test_python_blocks_run_in_order(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "readme"}
    ran = 0
    for block in blocks():
        if block["lang"] != "python" or block["skip"] is not None:
            continue
        code = compile(block["code"], f"README.md:{block['line']}", "exec")
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)  # the README shows no deprecated call
            try:
                exec(code, namespace)  # noqa: S102 - the README's own examples
            except Exception as exc:  # name the block, not only the line inside it
                pytest.fail(f"README block at line {block['line']} failed: {type(exc).__name__}: {exc}")
        ran += 1
    assert ran >= 4
