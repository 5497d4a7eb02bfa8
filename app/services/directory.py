"""Get-or-create for sources, speakers and locations, safe under concurrent writers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.normalise import name_key
from app.models import Location, Source, Speaker, SpeakerAlias
from app.models.base import new_id
from app.repositories import locations as locations_repo
from app.repositories import sources as sources_repo
from app.repositories import speakers as speakers_repo
from app.services import changes

M = TypeVar("M", Source, Speaker, Location)


class Known:
    """Directory rows looked up once for many writes in one transaction (a bulk batch): by
    key, the row, or None for a key that had no row then. A row created by an earlier write
    of the batch is added; one whose write was rolled back since (its object no longer in
    the session) is looked up again. A row another transaction created meanwhile is found
    by the insert's unique key, as without this."""

    def __init__(self, *, defer_inserts: bool = False) -> None:
        self.locations: dict[str, Location | None] = {}
        self.speakers: dict[str, Speaker | None] = {}
        # A bulk batch written in one SAVEPOINT (services/article_batch.py): new places and
        # speakers are added to the session and inserted by its next flush, together,
        # instead of a SAVEPOINT and a flush each; a concurrent writer's row then fails the
        # batch's flush, and its lines are stored one by one (each row as below).
        self.defer_inserts = defer_inserts
        # Single-word keys: the speakers whose full name ends with that word (the batch's
        # new full names added), read once, for the writes of a deferred batch.
        self.surnames: dict[str, list[Speaker]] = {}

    def load(self, session: Session, location_keys: list[str], speaker_keys: list[str]) -> None:
        found_locations = locations_repo.find_locations(session, location_keys)
        self.locations.update({k: found_locations.get(k) for k in location_keys})
        found_speakers = speakers_repo.find_speakers(session, speaker_keys)
        self.speakers.update({k: found_speakers.get(k) for k in speaker_keys})
        single = [k for k in speaker_keys if " " not in k and k not in found_speakers]
        self.surnames.update(speakers_repo.speakers_by_surname(session, single))

    def with_surname(self, session: Session, key: str) -> list[Speaker]:
        """`speakers_with_surname` (up to 3), from what was read when inserts are deferred."""
        if self.defer_inserts and key in self.surnames:
            return self.surnames[key][:3]
        return speakers_repo.speakers_with_surname(session, key)

    def full_name(self, speaker: Speaker) -> None:
        """A speaker created or renamed with a full name: found by its surname from now on."""
        found = self.surnames.get(speaker.name_key.rsplit(" ", 1)[-1])
        if found is not None and " " in speaker.name_key and speaker not in found:
            found.append(speaker)


def _recall(
    cache: dict[str, M | None] | None, key: str, lookup: Callable[[], M | None]
) -> M | None:
    """The row for `key`: from the cache while its object is still in the session, else
    looked up (a key the cache knows to be absent needs no lookup)."""
    if cache is None or key not in cache:
        return lookup()
    row = cache[key]
    if row is None:
        return None
    state = inspect(row)
    return row if state.persistent or state.pending else lookup()


_RESOURCE = {Source: "source", Speaker: "speaker", Location: "location"}


def _noted(session: Session, obj: M, action: str) -> M:
    """Note a directory row created or changed for the change feed (`changes.note`)."""
    changes.note(session, _RESOURCE[type(obj)], obj.id, action)
    return obj


def _insert_or_fetch(
    session: Session, obj: M, refetch: Callable[[], M | None], known: Known | None = None
) -> M:
    """Insert inside a SAVEPOINT; if a concurrent writer won the unique key, use its row.
    Callers create directory rows before they add or change an article, so this flush
    writes nothing else. (Deferred by `known.defer_inserts`: added, inserted later.)"""
    if known is not None and known.defer_inserts:
        session.add(obj)
        return _noted(session, obj, "created")
    try:
        with session.begin_nested():
            session.add(obj)
            session.flush()
        return _noted(session, obj, "created")
    except IntegrityError:
        existing = refetch()
        if existing is None:
            raise
        return existing


def domain_of(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def get_or_create_source(
    session: Session, name: str, *, domain: str | None = None, url: str | None = None
) -> Source:
    key = name_key(name)
    found = sources_repo.find_source(session, key)
    domain = (domain or domain_of(url) or "").lower() or None
    if found is not None:
        if found.domain is None and domain:
            found.domain = domain
            _noted(session, found, "updated")
        return found
    return _insert_or_fetch(
        session,
        Source(name=name.strip(), name_key=key, domain=domain),
        lambda: sources_repo.find_source(session, key),
    )


class SpeakerResolver:
    """Maps speaker names to directory rows within one write, merging aliases:
    "Umerov" joins an existing "Rustem Umerov"; a fuller name seen later adds the short one
    as an alias."""

    def __init__(self, session: Session, known: Known | None = None) -> None:
        self.session = session
        self._cache: dict[str, Speaker] = {}
        self.batch = known
        self.known = known.speakers if known is not None else None

    def _find(self, key: str) -> Speaker | None:
        return _recall(self.known, key, lambda: speakers_repo.find_speaker(self.session, key))

    def resolve(self, name: str, organisation: str | None = None, *, named: bool = True) -> Speaker:
        key = name_key(name)
        if key in self._cache:
            return self._mark_named(self._cache[key], named)
        speaker = self._find(key)
        if speaker is None and " " not in key:
            matches = (
                self.batch.with_surname(self.session, key)
                if self.batch is not None
                else speakers_repo.speakers_with_surname(self.session, key)
            )
            if len(matches) == 1:
                speaker = matches[0]
                self._add_alias(speaker, name, key)
        if speaker is None and " " in key:
            # A fuller name for someone so far known by surname only: promote that row.
            surname = key.rsplit(" ", 1)[1]
            short = self._find(surname)
            if short is not None and " " not in short.name_key and self._promote(short, name, key):
                speaker = short
                if self.known is not None:
                    self.known[surname] = short  # now found by its alias
        if speaker is None:
            speaker = _insert_or_fetch(
                self.session,
                Speaker(
                    id=new_id("spk"),
                    name=name.strip(),
                    name_key=key,
                    organisation=organisation,
                    named=named,
                ),
                lambda: speakers_repo.find_speaker(self.session, key),
                self.batch,
            )
        if self.batch is not None:
            self.batch.full_name(speaker)
        if organisation and not speaker.organisation:
            speaker.organisation = organisation
            _noted(self.session, speaker, "updated")
        self._cache[key] = speaker
        if self.known is not None:
            self.known[key] = speaker
        return self._mark_named(speaker, named)

    def _mark_named(self, speaker: Speaker, named: bool) -> Speaker:
        """A row first seen as a description becomes a name once a writer names it."""
        if named and speaker.named is False:
            speaker.named = True
            _noted(self.session, speaker, "updated")
        return speaker

    def _promote(self, short: Speaker, name: str, key: str) -> bool:
        old_name, old_key = short.name, short.name_key
        try:
            with self.session.begin_nested():
                short.name, short.name_key = name.strip(), key
                self.session.flush()
        except IntegrityError:
            return False  # someone stored the full name meanwhile; resolve() finds it later
        self._add_alias(short, old_name, old_key)
        _noted(self.session, short, "updated")  # renamed
        return True

    def _add_alias(self, speaker: Speaker, alias: str, key: str) -> None:
        if any(a.alias_key == key for a in speaker.aliases):
            return
        row = SpeakerAlias(speaker_id=speaker.id, alias=alias.strip(), alias_key=key)
        try:
            with self.session.begin_nested():
                self.session.add(row)
                self.session.flush()
        except IntegrityError:
            return  # a concurrent writer recorded the same alias
        speaker.aliases.append(row)
        _noted(self.session, speaker, "updated")  # a name merged into this speaker


def location_key(name: str, country_code: str | None) -> str:
    return f"{name_key(name)}|{(country_code or '').upper()}"


def get_or_create_location(
    session: Session,
    name: str,
    *,
    kind: str = "other",
    country_code: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    known: Known | None = None,
) -> Location:
    key = location_key(name, country_code)
    cache = known.locations if known is not None else None
    found = _recall(cache, key, lambda: locations_repo.find_location(session, key))
    if found is not None:
        if found.latitude is None and latitude is not None:
            found.latitude, found.longitude = latitude, longitude
            _noted(session, found, "updated")
        if found.kind == "other" and kind != "other":
            found.kind = kind
            _noted(session, found, "updated")
        return found
    created = _insert_or_fetch(
        session,
        Location(
            id=new_id("loc"),
            name=name.strip(),
            name_key=name_key(name),
            location_key=key,
            kind=(kind or "other").lower(),
            country_code=country_code.upper() if country_code else None,
            latitude=latitude,
            longitude=longitude,
        ),
        lambda: locations_repo.find_location(session, key),
        known,
    )
    if cache is not None:
        cache[key] = created
    return created
