"""Error reports that carry no participant's personal data.

When a page fails in production, Django builds a report (mailed to ``ADMINS``, or shown
by an error-tracking handler) with the request, its POST data and the local variables of
every frame. In Caravana those variables hold participants (names, phones, medical
notes), host allies and secret-link tokens, and the POST data is mostly personal data
(the host form, participant forms). So, while the filter is active (``DEBUG`` off):

* every frame variable is shown by its type only, except numbers, dates, booleans and
  ``None``, which tell a developer what happened without telling who it happened to;
* every POST value is hidden (the parameter names stay);
* secret-link tokens are cut out of the path, the URL and the request headers.

With ``DEBUG`` on (a developer's own machine) Django shows everything, as usual.
"""

from __future__ import annotations

import datetime
import decimal

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from caravana.redact import redact_secret_links

# Values shown as they are: they never identify a person.
_PLAIN = (bool, int, float, decimal.Decimal, datetime.date, datetime.time, datetime.timedelta)


class PrivateReporterFilter(SafeExceptionReporterFilter):
    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        if not self.is_active(request):
            return variables
        return [(name, self._shown(value)) for name, value in variables]

    def _shown(self, value):
        if value is None or isinstance(value, _PLAIN):
            return value
        if isinstance(value, str) and value == self.cleansed_substitute:
            return value
        return f"<{type(value).__name__}: hidden>"

    def get_post_parameters(self, request):
        if request is None or not self.is_active(request):
            return super().get_post_parameters(request)
        cleansed = request.POST.copy()
        for key in cleansed:
            cleansed[key] = self.cleansed_substitute
        return cleansed

    def get_cleansed_multivaluedict(self, request, multivaluedict):
        if not self.is_active(request):
            return super().get_cleansed_multivaluedict(request, multivaluedict)
        cleansed = multivaluedict.copy()
        for key in cleansed:
            cleansed[key] = self.cleansed_substitute
        return cleansed

    def get_safe_request_meta(self, request):
        return {
            key: redact_secret_links(value) if isinstance(value, str) else value
            for key, value in super().get_safe_request_meta(request).items()
        }


class _RedactedPath:
    """The request as the report's templates read it, with secret links cut out of its path."""

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name):
        return getattr(self._request, name)

    @property
    def path(self):
        return redact_secret_links(self._request.path)

    @property
    def path_info(self):
        return redact_secret_links(self._request.path_info)

    def get_full_path(self):
        return redact_secret_links(self._request.get_full_path())


class PrivateExceptionReporter(ExceptionReporter):
    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self.request is not None:
            data["request"] = _RedactedPath(self.request)
            data["request_insecure_uri"] = redact_secret_links(data["request_insecure_uri"])
        return data
