"""Reuse terms on sources and articles: a licence (an SPDX licence expression or the URL of
the terms) and an attribution line. What the service promises: docs/licence.md."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import urlsplit

from license_expression import ExpressionError, Licensing, get_spdx_licensing
from pydantic import AfterValidator, Field, StringConstraints


@lru_cache(maxsize=1)
def _licensing() -> Licensing:
    # The SPDX licence list ships inside license-expression; building its index takes a
    # moment, so once per process.
    return get_spdx_licensing()


def normalise_licence(value: str) -> str:
    """`cc-by-4.0` -> `CC-BY-4.0`; a URL must be an absolute http(s) URL with a host."""
    text = value.strip()
    if text.lower().startswith(("http://", "https://")):
        parts = urlsplit(text)
        if not parts.hostname or any(c.isspace() for c in text):
            raise ValueError("a licence URL must be an absolute http(s) URL with a host")
        return text
    try:
        info = _licensing().validate(text)
    except (ExpressionError, AttributeError) as exc:
        # 30.4.4's validate() trips over its own error on a dangling operator ("MIT AND").
        raise ValueError("not a well-formed SPDX licence expression") from exc
    if info.errors or not info.normalized_expression:
        raise ValueError(
            "not a known SPDX licence expression (e.g. CC-BY-4.0) nor an http(s) URL"
            + (f": {', '.join(info.invalid_symbols)}" if info.invalid_symbols else "")
        )
    return str(info.normalized_expression)


Licence = Annotated[
    str,
    StringConstraints(min_length=1, max_length=500),
    AfterValidator(normalise_licence),
    Field(
        description="An SPDX licence expression (`CC-BY-4.0`) or the URL of the terms.",
        examples=["CC-BY-4.0"],
    ),
]
Attribution = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    Field(
        description="The credit line to show with any reuse.",
        examples=["© Danube Dispatch, reused under CC BY 4.0"],
    ),
]


def effective(own: tuple[Any, Any], inherited: tuple[Any, Any]) -> dict[str, Any]:
    """An article's terms: its own pair when either was sent, else its source's."""
    if own[0] is not None or own[1] is not None:
        return {"licence": own[0], "attribution": own[1], "licence_from": "article"}
    if inherited[0] is not None or inherited[1] is not None:
        return {"licence": inherited[0], "attribution": inherited[1], "licence_from": "source"}
    return {"licence": None, "attribution": None, "licence_from": None}


def licence_field() -> Any:
    """The read side of `licence` on a source."""
    return Field(default=None, examples=["CC-BY-4.0"], description="SPDX expression or URL.")


def attribution_field() -> Any:
    """The read side of `attribution` on a source."""
    return Field(default=None, examples=["© Danube Dispatch, reused under CC BY 4.0"])
