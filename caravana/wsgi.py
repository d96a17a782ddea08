import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caravana.settings")

application = get_wsgi_application()

# Import every view now, then keep the objects made at start-up (Django, the API, the
# gazetteer: about 200,000) out of the garbage collector's full passes. Each full pass
# walked them all, about 100 ms, which made the slowest answers of a worker several times
# slower than the median (bench/run.py; README, "Performance").
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018
gc.freeze()
