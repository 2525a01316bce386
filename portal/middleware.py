import re
from urllib.parse import unquote_to_bytes

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


class ChosenLanguageMiddleware:
    """Activate the language the visitor chose with the switcher (a cookie); Chinese otherwise.

    Unlike Django's LocaleMiddleware this ignores Accept-Language on purpose: the portal is Chinese
    first, and English is shown only to someone who asked for it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.codes else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


# Characters no address, search term or form field legitimately holds. PostgreSQL refuses NUL in text, so
# without this check a "%00" in any parameter that reaches a query turns into a 500.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_QUERY_VALUE_LENGTH = 2000


class OddInputMiddleware:
    """Refuse malformed input with one clear 400 before any view sees it: control characters (NUL above
    all) in the address or the query string, query strings that are not UTF-8, and query values longer
    than any page needs. API paths get a JSON body, everything else the 400 page. Form fields need no
    check here: Django's form fields refuse NUL themselves, with a message beside the field."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.max_length = getattr(settings, "PORTAL_MAX_QUERY_VALUE_LENGTH", MAX_QUERY_VALUE_LENGTH)

    def __call__(self, request):
        problem = self.problem(request)
        if problem is not None:
            return self.refuse(request, problem)
        return self.get_response(request)

    def problem(self, request):
        if CONTROL_CHARACTERS.search(request.path_info):
            return _("网址中含有不允许的控制字符（例如 %00）。")
        raw = request.META.get("QUERY_STRING", "").encode("iso-8859-1", errors="replace")
        for part in raw.split(b"&"):
            for piece in part.split(b"=", 1):
                try:
                    text = unquote_to_bytes(piece.replace(b"+", b" ")).decode("utf-8")
                except UnicodeDecodeError:
                    return _("查询参数不是有效的 UTF-8 编码文字。")
                if CONTROL_CHARACTERS.search(text):
                    return _("查询参数中含有不允许的控制字符（例如 %00）。")
                if len(text) > self.max_length:
                    return _("查询参数过长：每项最多 %(n)s 个字符。") % {"n": self.max_length}
        return None

    def refuse(self, request, message):
        if request.path_info.startswith("/api/"):
            response = JsonResponse({"error": {"status": 400, "code": "invalid_input",
                                               "language": "en" if request.LANGUAGE_CODE == "en" else "zh",
                                               "message": str(message), "details": []}},
                                    status=400, json_dumps_params={"ensure_ascii": False})
        else:
            response = render(request, "400.html", {"message": message}, status=400)
        response["Cache-Control"] = "no-store"
        return response



class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's middleware, with the back office's own policy (settings.PORTAL_ADMIN_CSP) under
    /admin/, the inspectors' phone app's (PORTAL_FIELD_CSP: its photo previews are blob: images) under
    /field/, and a Permissions-Policy header that denies what the site never uses."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None:
            if request.path_info.startswith("/admin/"):
                parts.config = settings.PORTAL_ADMIN_CSP["DIRECTIVES"]
            elif request.path_info.startswith("/field/"):
                parts.config = settings.PORTAL_FIELD_CSP["DIRECTIVES"]
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        response.headers.setdefault("Permissions-Policy", settings.PORTAL_PERMISSIONS_POLICY)
        return response


class StaffSessionMiddleware:
    """Signed-in staff are signed out after settings.PORTAL_STAFF_IDLE_SECONDS without a request: each
    request pushes the session's expiry forward, so only inactivity ends it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request.session.set_expiry(settings.PORTAL_STAFF_IDLE_SECONDS)
        return self.get_response(request)
