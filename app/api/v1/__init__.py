"""Everything public and versioned lives under /v1."""

from fastapi import APIRouter, Depends

from app.api.body import refuse_nul
from app.api.ratelimit import enforce_rate_limit
from app.api.v1 import (
    articles,
    bulk,
    changes,
    estimates,
    extract,
    keys,
    locations,
    quotes,
    search,
    sources,
    speakers,
    statistics,
    stream,
    webhooks,
)

router = APIRouter(prefix="/v1", dependencies=[Depends(enforce_rate_limit), Depends(refuse_nul)])
router.include_router(bulk.router)  # before /articles/{article_id}
router.include_router(articles.router)
router.include_router(quotes.router)
router.include_router(statistics.router)
router.include_router(estimates.router)
router.include_router(speakers.router)
router.include_router(sources.router)
router.include_router(locations.router)
router.include_router(stream.router)  # before /changes
router.include_router(changes.router)
router.include_router(extract.router)
router.include_router(search.router)  # deprecated alias (docs/versioning.md)
router.include_router(webhooks.router)
router.include_router(keys.router)
