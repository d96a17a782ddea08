"""Date and number formats for the languages Django itself does not know (FORMAT_MODULE_PATH).

Django falls back to its own modules for every other language (``es`` reads "6 de abril de 2027"
from Django's ``es`` module). The month and weekday names these formats print are translated in
the catalogs: see ``caravana.formats.names``.
"""
