"""What the browser tests share: Debian's chromium driven by Playwright (never a downloaded
browser). Without /usr/bin/chromium they skip and say what to install; CI installs it, so
there nothing skips."""

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Mark a browser test module with ``pytestmark = BROWSER_TESTS``.
BROWSER_TESTS = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="install chromium: apt-get install chromium"),
    pytest.mark.django_db(transaction=True),
]
