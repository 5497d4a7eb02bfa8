"""Speakers, sources and locations: the directories built from articles."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self

from pydantic import Field

from app.schemas.article import Strict
from app.schemas.common import ReadModel, UtcDatetime, same_named, strict_example
from app.schemas.licence import Attribution, Licence, attribution_field, licence_field


class SpeakerRead(ReadModel):
    """A person or body quoted across articles."""

    id: str = Field(examples=["spk_0195c1a2b3c47d8e9f00112233445566"])
    name: str = Field(examples=["Amara Okafor"])
    organisation: str | None = Field(examples=["UNHCR"])
    named: bool = Field(
        default=True,
        description='False for a description quoted as a speaker ("local officials").',
    )
    aliases: list[str] = Field(examples=[["Okafor"]])
    roles: list[str] = Field(examples=[["UNHCR spokesperson"]])
    quote_count: int = Field(examples=[7])
    article_count: int = Field(examples=[3])
    latest_quote_at: UtcDatetime | None = Field(
        default=None, description="Publication time of the article of their newest quote."
    )

    @classmethod
    def from_row(cls, row: Sequence[Any], roles: list[str]) -> Self:
        """From a (Speaker, quote_count, article_count, latest_quote_at) row and the
        speaker's roles."""
        sp, quotes, articles, latest = row[:4]
        return cls(
            id=sp.id,
            name=sp.name,
            organisation=sp.organisation,
            named=sp.named,
            aliases=sorted(a.alias for a in sp.aliases),
            roles=roles,
            quote_count=quotes,
            article_count=articles,
            latest_quote_at=latest,
        )


class SourceRead(ReadModel):
    """A publisher, with the reuse terms its articles inherit."""

    id: str = Field(examples=["src_0195c1a2b3c47d8e9f00112233445566"])
    name: str = Field(examples=["Danube Dispatch"])
    domain: str | None = Field(examples=["danube-dispatch.example"])
    licence: str | None = licence_field()
    attribution: str | None = attribution_field()
    article_count: int = Field(examples=[42])

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Self:
        """From a (Source, article_count) row."""
        source, count = row
        shown = same_named(source, "id", "name", "domain", "licence", "attribution")
        return cls(**shown, article_count=count)


class SourceUpdate(Strict):
    """An admin's change to a publisher's reuse terms; only the fields sent change, null
    clears one. Articles without terms of their own inherit the new ones."""

    model_config = strict_example(
        {
            "licence": "CC-BY-4.0",
            "attribution": "© Danube Dispatch, reused under CC BY 4.0",
        }
    )

    licence: Licence | None = None
    attribution: Attribution | None = None


_SHOWN = ("id", "name", "kind", "country_code", "latitude", "longitude")


class LocationRead(ReadModel):
    """A place mentioned in articles."""

    id: str = Field(examples=["loc_0195c1a2b3c47d8e9f00112233445566"])
    name: str = Field(examples=["Kharkiv"])
    kind: str = Field(examples=["city"])
    country_code: str | None = Field(examples=["UA"])
    latitude: float | None = Field(examples=[49.9935])
    longitude: float | None = Field(examples=[36.2304])
    article_count: int = Field(examples=[12])

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Self:
        """From a (Location, article_count) row."""
        loc, count = row
        return cls(**{name: getattr(loc, name) for name in _SHOWN}, article_count=count)
