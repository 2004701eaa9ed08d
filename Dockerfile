# The image web, worker and beat run from (see docker-compose.yml).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 CRM_VAR_DIR=/srv/var
WORKDIR /srv/app
COPY pyproject.toml ./
RUN pip install --no-cache-dir -e . 2>/dev/null || true
COPY . .
RUN pip install --no-cache-dir -e . && SECRET_KEY=build-only-key-build-only-key-build-only-key-build-only-key \
    python manage.py collectstatic --noinput
RUN useradd --create-home crm && mkdir -p /srv/var && chown -R crm /srv/var
USER crm
EXPOSE 8000
CMD ["gunicorn", "crm.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
