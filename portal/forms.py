"""Small helpers shared by the back office's forms."""

from django.core.exceptions import ValidationError


def form_errors_add(form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: each message beside its field when the form has that field,
    the others (and a message without a field) at the top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
