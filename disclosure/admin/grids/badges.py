"""Back office: staff badges (工作证) — print a person's badge for one of their current roles (reusing its
valid badge, or reissuing it with a new code when it was lost), revoke a badge, and print every badge of a
township in one PDF. Scoped like the assignments: staff act only on the roles of the grids they cover."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.viewsets.base import ViewSet

from portal.admin_menu import PermissionMenuItem
from portal.forms import form_errors_add
from portal.pdf import pdf_response

from ...models import Badge, RoleAssignment
from ...services.badge_render import badges_pdf
from ...services.badges import badge_assignments_for_township, badge_issue, badge_revoke, badges_for_township
from .assignments import _visible_assignments
from .common import AdminPage, _scoped_grids

PERM_BADGES = "disclosure.print_badges"
BADGE_RELATED = ("assignment__person__photo", "assignment__grid__parent")


def _require(user) -> None:
    if not user.has_perm(PERM_BADGES):
        raise PermissionDenied


def badge_url(assignment: RoleAssignment) -> str:
    return reverse("badges:print", args=[assignment.pk])


class PrintForm(forms.Form):
    new_code = forms.BooleanField(
        label=gettext_lazy("补发新工作证（原证遗失或损坏）"), required=False,
        help_text=gettext_lazy("勾选后登记新编号，原工作证作废，扫描原证会显示“已失效”。不勾选则按原编号重印。"))
    reason = forms.CharField(label=gettext_lazy("原证作废原因"), max_length=200, required=False,
                             help_text=gettext_lazy("例如：工作证遗失。会显示在原证的核验页面上。"))


class RevokeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("作废原因"), max_length=200,
                             help_text=gettext_lazy("例如：工作证遗失；被他人冒用。会显示在核验页面上，请用群众看得懂的话写。"),
                             error_messages={"required": gettext_lazy("请填写作废原因。")})


class TownshipForm(forms.Form):
    township = forms.ModelChoiceField(label=gettext_lazy("乡镇"), queryset=None, empty_label=gettext_lazy("—— 请选择 ——"),
                                      error_messages={"required": gettext_lazy("请选择要打印工作证的乡镇。"),
                                                      "invalid_choice": gettext_lazy("请选择要打印工作证的乡镇。")})

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        townships = _scoped_grids(user).townships().in_order()
        self.fields["township"].queryset = townships
        if townships.count() == 1:
            self.fields["township"].initial = townships.first().pk


class BadgePrintView(AdminPage):
    """打印工作证 for one current assignment: the badges issued for it, and a form that prints (and registers)."""

    template_name = "disclosure/grids/admin_badge.html"
    title = gettext_lazy("工作证")
    icon = "user"

    def dispatch(self, request, pk):
        _require(request.user)
        self.assignment = get_object_or_404(
            _visible_assignments(request.user).select_related("grid", "grid__parent", "person"), pk=pk)
        return super().dispatch(request, pk)

    def get(self, request, pk, form=None, status=200):
        badges = list(Badge.objects.of_assignment(self.assignment).select_related("issued_by", "revoked_by"))
        for badge in badges:
            badge.assignment = self.assignment
        return self.page(request, {"assignment": self.assignment, "badges": badges, "form": form or PrintForm(),
                                   "edit_url": reverse("wagtailsnippets_disclosure_person:edit",
                                                       args=[self.assignment.person_id])}, status=status)

    def post(self, request, pk):
        form = PrintForm(request.POST)
        if not form.is_valid():
            return self.get(request, pk, form=form, status=400)
        try:
            badge, _created = badge_issue(assignment=self.assignment, by=request.user,
                                          new_code=form.cleaned_data["new_code"], reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form_errors_add(form, exc)
            return self.get(request, pk, form=form, status=400)
        badge = Badge.objects.select_related(*BADGE_RELATED).get(pk=badge.pk)
        return pdf_response(badges_pdf(badges=[badge]), f"badge-{badge.code}.pdf", inline=False)


class BadgeRevokeView(AdminPage):
    """作废工作证: the badge's page says from now on that it is not valid, with the reason."""

    template_name = "disclosure/grids/admin_badge_revoke.html"
    title = gettext_lazy("作废工作证")
    icon = "warning"

    def dispatch(self, request, pk):
        _require(request.user)
        self.badge = get_object_or_404(
            Badge.objects.filter(assignment__in=_visible_assignments(request.user)).select_related(*BADGE_RELATED),
            pk=pk)
        return super().dispatch(request, pk)

    def get(self, request, pk, form=None, status=200):
        return self.page(request, {"badge": self.badge, "assignment": self.badge.assignment,
                                   "form": form or RevokeForm(), "back_url": badge_url(self.badge.assignment)},
                         status=status)

    def post(self, request, pk):
        form = RevokeForm(request.POST)
        if form.is_valid():
            try:
                badge_revoke(badge=self.badge, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                form_errors_add(form, exc)
            else:
                messages.success(request, _("工作证 %(code)s（%(name)s）已作废。") % {
                    "code": self.badge.code, "name": self.badge.assignment.person.name})
                return redirect(badge_url(self.badge.assignment))
        return self.get(request, pk, form=form, status=400)


class TownshipBadgesView(AdminPage):
    """All badges of a township in one PDF: its supervisors and its villages' coordinators, four to a sheet.
    A township is a page or three, drawn in about a second, so it is drawn in the request."""

    template_name = "disclosure/grids/admin_badges_township.html"
    title = gettext_lazy("批量打印工作证")
    icon = "doc-full"

    def dispatch(self, request):
        _require(request.user)
        return super().dispatch(request)

    def get(self, request, form=None, status=200):
        return self.page(request, {"form": form or TownshipForm(user=request.user)}, status=status)

    def post(self, request):
        form = TownshipForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.get(request, form=form, status=400)
        township = form.cleaned_data["township"]
        if not badge_assignments_for_township(township):
            form.add_error("township", _("%(name)s目前没有在任的网格监管员和协管员。") % {"name": township.name})
            return self.get(request, form=form, status=400)
        issued = badges_for_township(township=township, by=request.user)
        badges = list(Badge.objects.filter(pk__in=[b.pk for b in issued]).select_related(*BADGE_RELATED))
        order = {b.pk: n for n, b in enumerate(issued)}
        badges.sort(key=lambda b: order[b.pk])
        return pdf_response(badges_pdf(badges=badges),
                            f"badges-{township.slug}-{timezone.localdate():%Y%m%d}.pdf", inline=False)


class BadgeToolsViewSet(ViewSet):
    """工作证: printing and revoking staff badges (the menu entry opens the township batch)."""

    name = "badges"
    url_prefix = "badges"
    icon = "doc-full"
    menu_label = gettext_lazy("打印工作证")

    def get_urlpatterns(self):
        return [
            path("township/", TownshipBadgesView.as_view(), name="township"),
            path("<int:pk>/", BadgePrintView.as_view(), name="print"),
            path("revoke/<int:pk>/", BadgeRevokeView.as_view(), name="revoke"),
        ]

    def get_menu_item(self, order=None):
        return PermissionMenuItem(PERM_BADGES, self.menu_label, reverse("badges:township"), icon_name=self.icon,
                                  order=order or 450, name="grid-badges")
