from __future__ import annotations

from django import forms

from bakuhub.core.errors import DomainError


def attach(form: forms.Form, exc: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Show a domain error on the form: on each named field it knows (a service field named otherwise on the form
    is given in `aliases`), else as a form-wide error."""
    placed = False
    names = {"evidence_document": "document", **(aliases or {})}
    for field, messages in exc.errors.items():
        target = field if field in form.fields else names.get(field)
        if target in form.fields:
            for message in messages:
                form.add_error(target, message)
            placed = True
    all_messages = [m for msgs in exc.errors.values() for m in msgs]
    if not placed or exc.message not in all_messages:
        form.add_error(None, exc.message)
