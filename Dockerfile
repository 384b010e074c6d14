# Production image for Ipm: gunicorn (web), Celery worker and beat all run from it.
# See docker-compose.yml for the whole picture and .env.example for the settings.

# --- Front-end packages, installed from package-lock.json -------------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- Application ---------------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint (PDF contracts and reports) needs Pango and a font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 app
WORKDIR /app

COPY . .
COPY --from=assets /app/node_modules ./node_modules
RUN pip install .

# Static files are collected at build time (whitenoise serves them); the settings
# need a SECRET_KEY when DEBUG is off, any value does for this step.
RUN DEBUG=false SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput \
    && mkdir -p var/media \
    && chown -R app:app var staticfiles

USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "-b", "0.0.0.0:8000", "-w", "3", "--access-logfile", "-"]
