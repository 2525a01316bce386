"""The admin API's image and document listings (/admin/api/main/images/, …/documents/), limited to what
the user may choose.

Wagtail's admin API lists every image and document to anyone who can open the admin, whatever their
collection permissions: the grid people's photos and the producers' internal inspectors' photos among
them. Here each endpoint answers with what the user's collection permissions let them choose (the same
set the image and document choosers show), and 404 for the rest.
"""

from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permissions import policy_registry


def choosable(model, user, queryset):
    """The part of `queryset` that `user` may choose under the model's collection permissions."""
    allowed = policy_registry.get_by_type(model).instances_user_has_any_permission_for(user, ["choose"])
    return queryset.filter(pk__in=allowed.values("pk"))


class ChoosableImagesAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        return choosable(get_image_model(), self.request.user, super().get_queryset())


class ChoosableDocumentsAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        return choosable(get_document_model(), self.request.user, super().get_queryset())


def restrict_admin_api(router) -> None:
    """Replace the images and documents endpoints of the admin API router (a construct_admin_api hook)."""
    router.register_endpoint("images", ChoosableImagesAPIViewSet)
    router.register_endpoint("documents", ChoosableDocumentsAPIViewSet)
