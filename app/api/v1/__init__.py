"""Everything public and versioned lives under /v1."""

from fastapi import APIRouter, Depends

from app.api.ratelimit import enforce_rate_limit
from app.api.v1 import articles, bulk, changes, directory, extract, items

router = APIRouter(prefix="/v1", dependencies=[Depends(enforce_rate_limit)])
router.include_router(bulk.router)  # before /articles/{article_id}
router.include_router(articles.router)
router.include_router(items.quotes)
router.include_router(items.statistics)
router.include_router(directory.speakers)
router.include_router(directory.sources)
router.include_router(directory.locations)
router.include_router(changes.router)
router.include_router(extract.router)
