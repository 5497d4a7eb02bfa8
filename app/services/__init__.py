"""Use cases. Importing the package registers the ORM events that keep the figure rollup
exact in every writing transaction (app/services/rollups.py)."""

from app.services import rollups as rollups
