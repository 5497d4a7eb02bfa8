"""Language data of the extraction engine, apart from the algorithms that read it.

One module per kind of knowledge, each plain data plus small lookup helpers:

* ``verbs``: reporting verbs as entries (lemma, forms, object use, passive/participle use,
  whether "that" may be dropped);
* ``titles``: titles, ranks and role words (and abbreviations);
* ``organisations``: organisations with their aliases ("UN" = "United Nations");
* ``metrics``: the metric registry (name, class, description, reporting terms, default unit,
  event or cumulative) that extraction, the API's filters, the docs and demo data all read.

Everything here is general knowledge of how English news reports speech and figures, never
phrases lifted from a particular text.
"""
