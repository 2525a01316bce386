"""Back office: Open311 API keys (接口密钥). Issued with the key shown once; unticking 有效 revokes."""

from django import forms
from django.contrib import messages
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import Open311Client
from ..services.api_keys import open311_key_issue, open311_key_revoke


class IssueForm(forms.ModelForm):
    class Meta:
        model = Open311Client
        fields = ["name", "contact", "note"]


class EditForm(forms.ModelForm):
    class Meta:
        model = Open311Client
        fields = ["name", "contact", "note", "active"]


class IssueView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        client, raw = open311_key_issue(name=data["name"], contact=data.get("contact", ""),
                                        note=data.get("note", ""), by=self.request.user)
        self.issued_key = raw
        return client

    def get_success_message(self, instance):
        return _t("已签发“%(name)s”的接口密钥：%(key)s —— 请立即复制交给对方，此密钥只显示这一次。") % {
            "name": instance.name, "key": self.issued_key}

    def save_action(self):
        messages.warning(self.request, self.get_success_message(self.object))
        from django.shortcuts import redirect

        return redirect(self.get_success_url())


class RevokeOnUntickView(generic.EditView):
    def save_instance(self):
        was_active = Open311Client.objects.filter(pk=self.object.pk).values_list("active", flat=True).first()
        instance = self.form.save()
        if was_active and not instance.active:
            open311_key_revoke(client=instance, by=self.request.user)
        return instance


class Open311ClientViewSet(ModelViewSet):
    model = Open311Client
    icon = "key"
    menu_label = _("Open311 接口密钥")
    add_to_settings_menu = True
    name = "open311_clients"
    add_view_class = IssueView
    edit_view_class = RevokeOnUntickView
    list_display = ["name", "key_prefix", "active", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["active"]
    search_fields = ["name", "contact"]

    def get_form_class(self, for_update=False):
        return EditForm if for_update else IssueForm


open311_client_viewset = Open311ClientViewSet()
