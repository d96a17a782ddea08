#!/usr/bin/env python
"""Django's command-line utility for Caravana."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caravana.settings")
    if "SECRET_KEY" not in os.environ and "DEBUG" not in os.environ:
        # A checkout on a developer's machine: commands run in development mode. The web
        # server (caravana/wsgi.py) never does this: there a missing SECRET_KEY stops it.
        os.environ["DEBUG"] = "true"
        print("SECRET_KEY is not set: running with DEBUG=true (development).", file=sys.stderr)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
