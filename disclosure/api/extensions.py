"""Endpoints that apps above `disclosure` add to /api/v1/ (inspections, say), as disclosure/sections.py
takes sections of the producer page: this package must not import them, so they register a ninja Router
from their AppConfig.ready(). A registered router's operations are served beside the others and appear in
the same OpenAPI description, with the same CORS, ETag, paging and error handling, through the helpers
re-exported here (the names an extension may rely on).
"""

from ninja import Router

from . import errors
from .endpoints import (
    ERROR_RESPONSES,
    api,
)
from .endpoints import _cached as cached
from .endpoints import _check_parameters as check_parameters
from .endpoints import _paginate as paginate
from .endpoints import _place as place
from .endpoints import _state as state
from .endpoints import _township as township_param
from .endpoints import _with_schema as with_query_schema
from .errors import YEAR_RULE, ApiError, invalid_parameter
from .schemas import LangQuery, Out, PageMeta, PageQuery, PlaceRef

__all__ = ["ERROR_RESPONSES", "YEAR_RULE", "ApiError", "invalid_parameter", "LangQuery", "Out", "PageMeta", "PageQuery", "PlaceRef", "cached",
           "check_parameters", "errors", "paginate", "place", "register_api_router", "state", "township_param",
           "with_query_schema"]

_REGISTERED: dict[str, Router] = {}


def register_api_router(*, key: str, router: Router, parameter_rules: dict | None = None) -> None:
    """Serve `router`'s operations under /api/v1/ (paths as the router declares them, e.g. "/inspections/").
    `parameter_rules` adds, for its own query parameters, what a valid value looks like in Chinese and
    English (see errors.PARAMETER_RULES). Call it from an AppConfig.ready(); a second call is ignored."""
    if key in _REGISTERED:
        return
    errors.PARAMETER_RULES.update(parameter_rules or {})
    api.add_router("", router)
    _REGISTERED[key] = router
