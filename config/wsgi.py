"""WSGI entry point (gunicorn config.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# What is loaded by now lives as long as the worker: frozen, the cyclic collector stops
# walking it on every full collection. A request that builds many objects (a lookup of
# 10,000 values makes some 100,000) triggers several, each a third of its time otherwise.
gc.freeze()
