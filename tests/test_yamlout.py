"""The fast YAML writer gives exactly PyYAML's bytes, on every generated file and on the
awkward scalars (quoting, literal blocks, numbers) a spec can produce."""

from __future__ import annotations

import re
from itertools import takewhile

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generators.outputs import render_all
from generators.yamlout import _FIRST_LINE_RE, _document, _literal, _Unsupported, dump_yaml

AWKWARD = [
    "yes", "no", "on", "null", "~", "", " lead", "trail ", "a: b", "a #b", "a#b", "#x", "-x", "- x", "?x", ":x",
    "x:", "1", "1.5", "1e3", "0x1F", "2026-11-28", "12:30", "=", "<<", ".inf", ".5", "'q'", '"q"', "{a}", "[a]",
    "*x", "&x", "!x", "|x", ">x", "%x", "@x", "`x`", "é", "日本", "tab\there", "a\\b", "x" * 300,
    "line1\nline2", "line1\n  indented\nline3", " lead\nline", "trail \nline", "line\n", "line\n\n", "a\n\nb",
    "\nlead", "x\r\ny", "ends with newline\n", "Ünï\ncode",
]


def test_fast_writer_matches_pyyaml_on_awkward_scalars() -> None:
    for value in AWKWARD:
        for doc in ({"k": value}, {"k": [value]}, [{"a": value, "b": {"c": value}}], {value[:50] or "e": 1}):
            assert dump_yaml(doc) == dump_yaml(doc, pure=True), repr(value)
            assert yaml.safe_load(dump_yaml(doc, header="")) == doc


def test_fast_writer_matches_pyyaml_on_every_generated_file(spec) -> None:
    for rel, content in render_all(spec).items():
        if rel.endswith((".yml", ".yaml")) and "templates" not in rel:
            data = yaml.safe_load(content)
            assert dump_yaml(data) == dump_yaml(data, pure=True), rel
            # some files add comment lines (how to deploy them) after the generated header
            header = "".join(takewhile(lambda line: line.startswith("#"), content.splitlines(keepends=True)))
            assert dump_yaml(data, header=header) == content, rel


def test_numbers_and_empties() -> None:
    doc = {"f": [0.1, 1e-05, 1e20, -2.5, 3.0, float("inf"), float("-inf")], "i": [0, -7, 10**12], "b": [True, False],
           "n": None, "e": {}, "l": [], "nested": [{"x": []}, {"y": {}}]}
    assert dump_yaml(doc) == dump_yaml(doc, pure=True)


def test_generated_files_take_the_fast_path(spec) -> None:
    """The equality above must not come from falling back to PyYAML for whole files."""
    from generators.yamlout import _document

    for rel, content in render_all(spec).items():
        if rel.endswith((".yml", ".yaml")) and "templates" not in rel:
            _document(yaml.safe_load(content))  # raises _Unsupported if it would fall back


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="Ab0_(/.$=+^~<;:#'\"-?[]{},&*!|>%@` eE", min_size=1, max_size=12))
@example("it's: quoted")
@example("A #'1'")
@example("0.5")
@example("...")  # the document end marker: PyYAML quotes it
@example("...x")
def test_fast_writer_quotes_as_pyyaml_does(text: str) -> None:
    assert dump_yaml({"k": text}) == dump_yaml({"k": text}, pure=True)


def test_literal_blocks_with_lines_longer_than_the_width_take_the_fast_path_exactly() -> None:
    # neither PyYAML nor libyaml folds a literal block: the SLO tests' names list every SLO
    # on one line, thousands of characters in a large spec
    for width in (899, 950, 1001, 3000):
        line = ("slo_key_r12 name; " * (width // 18 + 1))[:width].strip()
        for text in (f"[a] title: {line}\n[b] other: {line}", f"{line}\n", f"short\n{line}"):
            doc = {"tests": [{"name": text, "interval": "1m"}], "k": {"deep": text}}
            _document(doc)  # raises _Unsupported if it would fall back
            assert dump_yaml(doc) == dump_yaml(doc, pure=True)


def test_multi_line_strings_of_every_shape_are_written_as_pyyaml_writes_them() -> None:
    """Literal blocks are checked and indented in one pass over the text (a dashboard in a
    ConfigMap is a block of 10^5 lines at 100x): random texts of awkward lines must give
    PyYAML's bytes, or fall back to PyYAML."""
    import random

    rng = random.Random(3)
    pieces = ["a", "b c", " lead", "trail ", "", "\t", "é", "#", "- x", "k: v", "  ", "x\r", "~", "{", "'"]
    for _ in range(3000):
        text = "\n".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) + rng.choice(["", "\n", "\n\n"])
        doc = {"k": {"nested": text, "list": [{"v": text}]}}
        assert dump_yaml(doc) == dump_yaml(doc, pure=True), repr(text)


# what _literal's str-method checks stand for: every line empty or _LINE_RE
_BODY_RE = re.compile(r"(?:[\x20-\x7e]*[\x21-\x7e])?(?:\n(?:[\x20-\x7e]*[\x21-\x7e])?)*")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="a #-:\n\t\x7f\x0b\r\u00e9\u2028~", max_size=16), st.sampled_from([0, 2, 6]))
@example("a\nb \nc", 2)  # a later line's trailing space
@example("a\n \nc", 2)  # a line of spaces only
@example("a\nb ", 2)  # the last line's trailing space
@example("a\nb\x7f", 0)
@example("a\n\nb\n", 4)
def test_literal_blocks_take_the_fast_path_exactly_when_every_line_is_plain(text: str, indent: int) -> None:
    body = text.removesuffix("\n")
    plain = bool(body) and not text.endswith("\n\n") and bool(_FIRST_LINE_RE.match(body.partition("\n")[0])) \
        and _BODY_RE.fullmatch(body) is not None
    try:
        block = _literal(text, indent)
    except _Unsupported:
        assert not plain, repr(text)
        return
    assert plain, repr(text)
    assert block.split("\n", 1)[1] == re.sub(r"^(?=[^\n])", " " * indent, body, flags=re.M)


def test_keys_the_fast_path_cannot_write_go_to_pyyaml_every_time() -> None:
    # the key cache holds only keys the fast path wrote: an int key, or a str key too long
    # or multi-line, falls back however often it comes, also after a plain key was cached
    for doc in ({"k": "v", 1: "a"}, {"k": {2: "b"}}, {"x" * 121: "v"}, {"a\nb": "v"}, {"k": "v", True: "t"},
                {"a\u2029": 1}, {"\r": "a"}, {"b\x85": "c"}, {"t\tab": 1}):
        for _ in range(2):
            with pytest.raises(_Unsupported):
                _document(doc)
            assert dump_yaml(doc) == dump_yaml(doc, pure=True)


def test_a_key_equal_to_a_cached_str_but_not_a_str_is_still_pyyamls_to_refuse() -> None:
    import enum

    class Key(enum.StrEnum):
        k = "k"

    dump_yaml({"k": 1})  # "k" is now in the key cache
    for _ in range(2):
        with pytest.raises(_Unsupported):
            _document({Key.k: 1})
        with pytest.raises(yaml.representer.RepresenterError):
            dump_yaml({Key.k: 1})
