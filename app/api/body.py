"""Request bodies that FastAPI can't parse alone: JSON that is either structured or raw text,
and `text/plain`."""

from __future__ import annotations

from typing import Any, NoReturn

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter, ValidationError

from app.core.errors import BadRequest, UnsupportedMediaType
from app.schemas.article import ARTICLE_FORMS, ArticleCreate, ArticleInput, RawArticleCreate

ArticlePayload = ArticleCreate | RawArticleCreate
RAW_EXAMPLE = {
    "text": (
        "Shelling cuts power across Nikopol\n\nRiverside Herald\n3 Min Read\n\n"
        "Artillery fire knocked out a substation in Nikopol overnight, leaving about 8,000 "
        "homes without electricity.\n\n\u201cCrews will need two days at least,\u201d said "
        "Halyna Shevchuk, a spokeswoman for the regional grid operator.\n\nShare this Post"
    )
}
_payload_adapter: TypeAdapter[ArticlePayload] = TypeAdapter(ArticleInput)


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def decode_text(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(
            f"The body is not valid UTF-8 (byte {exc.start} cannot be decoded)."
        ) from exc
    if "\x00" in text:
        raise BadRequest("The body contains NUL bytes; send text, not binary data.")
    return text


def _errors(exc: ValidationError) -> list[dict[str, Any]]:
    """The errors of the form the client meant, `loc` from the body without that form's tag."""
    out = []
    for err in exc.errors(include_url=False, include_context=False):
        loc = err["loc"][1:] if err["loc"] and err["loc"][0] in ARTICLE_FORMS else err["loc"]
        out.append({**err, "loc": ("body", *loc)})
    return out


async def read_article_payload(request: Request) -> ArticlePayload:
    """Structured JSON, `{"text": ...}` JSON, or a `text/plain` body."""
    raw = await request.body()
    media = _media_type(request)
    if media == "text/plain":
        return RawArticleCreate(text=decode_text(raw)) if raw.strip() else _empty()
    if media and media != "application/json" and not media.endswith("+json"):
        raise UnsupportedMediaType(
            f"Send application/json or text/plain, not {media!r}.",
        )
    if not raw.strip():
        return _empty()
    try:
        data = _payload_adapter.validate_json(raw)
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            raise BadRequest("The request body is not valid JSON.") from exc
        raise RequestValidationError(_errors(exc)) from exc
    return data


async def read_raw_text(request: Request) -> str:
    """`{"text": ...}` JSON or a `text/plain` body, for the extraction dry run."""
    payload = await read_article_payload(request)
    if not isinstance(payload, RawArticleCreate):
        raise RequestValidationError(
            [{"loc": ("body", "text"), "msg": "Field required", "type": "missing"}]
        )
    return payload.text


def _empty() -> NoReturn:
    raise RequestValidationError(
        [{"loc": ("body",), "msg": "A request body is required.", "type": "missing"}]
    )


# Raw text may also come as a `text/plain` body. It is listed in the extension below rather
# than in `content`: client generators (openapi-python-client among them) warn on, and may
# drop, a media type they cannot model, while `{"text": ...}` JSON says the same thing.
RAW_TEXT_EXTENSION = "x-also-accepts"


def payload_openapi(*, raw_only: bool = False) -> dict[str, Any]:
    """The requestBody documentation for routes that read the body themselves: JSON in
    `content` (what generated clients use), `text/plain` named in `x-also-accepts`."""
    names = ["RawArticleCreate"] if raw_only else ["ArticleCreate", "RawArticleCreate"]
    refs = [{"$ref": f"#/components/schemas/{n}"} for n in names]
    schema = refs[0] if raw_only else {"oneOf": refs}
    example = RAW_EXAMPLE if raw_only else ArticleCreate.model_json_schema()["examples"][0]
    return {
        "requestBody": {
            "required": True,
            "description": (
                "JSON: "
                + ("" if raw_only else "a structured article, or ")
                + '`{"text": ...}` raw text. The same raw text may instead be sent as the '
                "whole body with `Content-Type: text/plain` (UTF-8)."
            ),
            "content": {"application/json": {"schema": schema, "example": example}},
            RAW_TEXT_EXTENSION: {
                "text/plain": {"schema": {"type": "string"}, "example": RAW_EXAMPLE["text"]}
            },
        }
    }


EXTRA_SCHEMAS = (ArticleCreate, RawArticleCreate)


async def refuse_nul(request: Request) -> None:
    """U+0000 in a path or query parameter is a 422 naming it, before any query runs: the
    bodies refuse it already (`Strict`), and PostgreSQL text cannot hold it, so on that
    engine it would otherwise fail inside the database (every /v1 operation)."""
    scope = request.scope
    if b"%00" not in scope.get("raw_path", b"") and b"%00" not in scope.get("query_string", b""):
        return  # the usual case: one scan of the raw bytes, nothing decoded
    errors = [
        {
            "loc": (where, name),
            "msg": "must not contain the NUL character (U+0000)",
            "type": "value_error",
        }
        for where, items in (
            ("path", request.path_params.items()),
            ("query", request.query_params.multi_items()),
        )
        for name, value in items
        if "\x00" in str(value) or "\x00" in name
    ]
    if errors:
        raise RequestValidationError(errors)
