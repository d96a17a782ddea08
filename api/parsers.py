"""The API's JSON parser: DRF's, refusing bodies nested too deeply with a 400.

Python's JSON decoder recurses once per ``[`` or ``{``: a body nested a few thousand deep
(or 50,000 ``[`` that never close) exhausts the interpreter's stack and raised
``RecursionError``, a 500. This parser turns that into a ``ParseError`` (400), and refuses
any document nested deeper than ``MAX_DEPTH`` even when Python could read it, so no
serializer or view ever walks such a structure. It is the default parser of every API view
(``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``). Oversized bodies never get here: the request
size middleware answers 413 first (``caravana.middleware``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# Far deeper than any document the API accepts (a route's stops are nested 3 levels).
MAX_DEPTH = 32


def nesting_depth(value, *, limit: int) -> int:
    """How deeply lists and objects nest in ``value`` (a scalar is 0); stops past ``limit``."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            break
        pending.extend((child, depth + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    """``JSONParser`` with a depth limit: too deep or unreadable is a 400, never a 500."""

    max_depth = MAX_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(self.too_deep()) from None
        if nesting_depth(data, limit=self.max_depth) > self.max_depth:
            raise ParseError(self.too_deep())
        return data

    def too_deep(self) -> str:
        return _("JSON parse error - the document is nested more than %(depth)d levels deep.") % {
            "depth": self.max_depth
        }
