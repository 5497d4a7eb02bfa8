"""Full-text search, in one package: the query syntax (`syntax`: parsed once, every word
quoted), the stem (`stemming`), the highlighted passages (`snippets`, computed in Python
on a page's rows), and the engine-specific SQL with its per-query plans (`engine`: FTS5 on
SQLite, tsvector/GIN on PostgreSQL). Repositories call `engine`; `engine` is the only
search SQL outside app/repositories."""
