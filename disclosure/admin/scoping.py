"""Scoping every view of a viewset at once: objects outside the user's grids do not exist for them.

A Wagtail viewset builds a dozen views per model (edit, delete, inspect, history and its results, usage,
copy, revisions compare/revert/view, unpublish, lock …) and a chooser with three more; each fetches its
object itself. Scoping them one by one leaves the next one open, so `ScopedViewSetMixin` does it where the
viewset builds them (`construct_view`): every view class that fetches an object gets `ScopedObjectMixin`,
the snippet chooser lists and returns only what the user sees, and so does the snippets' bulk delete. The
viewset says what that is in `scoped_queryset(user)`. tests/staff/test_admin_scope_walk.py walks every
admin URL to keep it so.
"""

from django.http import Http404
from django.shortcuts import get_list_or_404
from django.utils.functional import classproperty
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import get_snippet_models


def _in_scope(queryset_for, user, obj) -> bool:
    return obj is None or queryset_for(user).filter(pk=obj.pk).exists()


class ScopedObjectMixin:
    """Object views answer 404 for objects outside the user's scope, as if they did not exist.

    The view class (or a viewset, see ScopedViewSetMixin) provides `scoped_queryset(user)`."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not _in_scope(self.scoped_queryset, self.request.user, obj):
            raise Http404
        return obj


class ScopedChooserMixin:
    """The chooser's listing, its search results and what it returns as chosen: only what the user sees."""

    def get_object_list(self, *args, **kwargs):
        objects = super().get_object_list(*args, **kwargs)
        return objects.filter(pk__in=self.scoped_queryset(self.request.user).values("pk"))

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not _in_scope(self.scoped_queryset, self.request.user, obj):
            raise Http404
        return obj

    def get_objects(self, *args, **kwargs):
        objects = super().get_objects(*args, **kwargs)
        return objects.filter(pk__in=self.scoped_queryset(self.request.user).values("pk"))


def _scoped(view_class, mixin, queryset_for):
    return type(f"Scoped{view_class.__name__}", (mixin, view_class),
                {"scoped_queryset": staticmethod(queryset_for), "__module__": view_class.__module__})


class ScopedChooserViewSetMixin:
    """A chooser viewset whose views all see `scoped_queryset(user)` only (set by ScopedViewSetMixin)."""

    scoped_queryset = None

    def construct_view(self, view_class, **kwargs):
        if any(hasattr(view_class, name) for name in ("get_object_list", "get_object", "get_objects")):
            view_class = _scoped(view_class, ScopedChooserMixin, self.scoped_queryset)
        return super().construct_view(view_class, **kwargs)


class ScopedViewSetMixin:
    """For a ModelViewSet or SnippetViewSet: every view that fetches one object 404s outside
    `scoped_queryset(user)`, and the snippet chooser offers only what is inside it.

    Listings keep their own `get_base_queryset` (they add joins and ordering); they must use the same
    scope, which the walk test checks by looking for other grids' objects on every page."""

    def scoped_queryset(self, user):
        raise NotImplementedError

    def construct_view(self, view_class, **kwargs):
        if hasattr(view_class, "get_object"):
            view_class = _scoped(view_class, ScopedObjectMixin, self.scoped_queryset)
        return super().construct_view(view_class, **kwargs)

    @property
    def chooser_viewset_class(self):
        base = super().chooser_viewset_class
        return type(f"Scoped{base.__name__}", (ScopedChooserViewSetMixin, base),
                    {"scoped_queryset": staticmethod(self.scoped_queryset)})


class ScopedDeleteBulkAction(DeleteBulkAction):
    """删除 for several snippets at once, for the models of scoped viewsets: objects outside the user's
    scope are left out (not even listed as "no permission"), as if their ids did not exist."""

    @classproperty
    def models(cls):
        return [model for model in get_snippet_models()
                if isinstance(getattr(model, "snippet_viewset", None), ScopedViewSetMixin)]

    def _scope(self, model):
        return model.snippet_viewset.scoped_queryset(self.request.user).values("pk")

    def get_queryset(self, model, object_ids):
        return get_list_or_404(model.objects.filter(pk__in=self._scope(model)), pk__in=object_ids)

    def get_all_objects_in_listing_query(self, parent_id):
        return super().get_all_objects_in_listing_query(parent_id).filter(pk__in=self._scope(self.model))
