"""The web app (FastAPI, Jinja2 + htmx): dashboard, API, service desk."""
