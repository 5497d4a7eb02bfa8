"""Use cases: each module takes a session first, flushes when it needs generated values and
never commits (the request's session, or the CLI, commits once)."""
