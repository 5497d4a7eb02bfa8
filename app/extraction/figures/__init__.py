"""Figure extraction: numbers with unit, metric (from the metric registry), qualifier and place.

Modules: :mod:`.terms` (registry terms compiled), :mod:`.sentence` (tokens, glued words split),
:mod:`.exclusions`, :mod:`.qualifiers`, :mod:`.units`, :mod:`.metric`, :mod:`.location` (named
rules) and :mod:`.stage` (:func:`find_figures`, the stage the pipeline calls).
"""

from app.extraction.figures.stage import find_figures

__all__ = ["find_figures"]
