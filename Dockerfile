# Builder: install the locked dependencies and the app into a virtualenv.
FROM python:3.11-slim AS builder
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /build
COPY pyproject.toml constraints.txt README.md ./
COPY app ./app
RUN pip install --no-cache-dir -c constraints.txt .

# Runtime: the virtualenv, the migrations and nothing else, as a non-root user.
FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DATABASE_URL=sqlite:////data/conflict_news.db
RUN useradd --system --create-home --uid 10001 app \
    && mkdir /data \
    && chown app /data
WORKDIR /srv
COPY --from=builder /opt/venv /opt/venv
COPY migrations ./migrations
COPY pyproject.toml ./
USER 10001
EXPOSE 8000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2).status != 200)"]
CMD ["conflict-news", "serve", "--host", "0.0.0.0", "--port", "8000"]
