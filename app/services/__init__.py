"""Use cases. Importing the package registers the ORM events that keep the derived tables
exact in every writing transaction, whatever module did the write: the stored article
documents (app/services/read_model.py) and the daily figure rollup (app/services/rollups.py)."""

from app.services import read_model as read_model
from app.services import rollups as rollups
