"""Offline US geography: places, ZIP codes, time zones and leg estimates.

See docs/geography.md. The app has no models; its data lives in ``geo/data``.
"""
