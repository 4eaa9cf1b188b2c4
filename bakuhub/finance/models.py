"""Money: budgets and transactions in their own currency, converted to USD and EUR at their value date from the
secretariat's rates table (never fetched at run time)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExchangeRate(models.Model):
    """`per_usd` units of `currency` buy one US dollar on `on_date` (e.g. EUR 0.92, XOF 603.5)."""

    currency = models.CharField(max_length=3)
    on_date = models.DateField()
    per_usd = models.DecimalField(max_digits=20, decimal_places=8)
    source = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["currency", "-on_date"]
        constraints = [models.UniqueConstraint(fields=["currency", "on_date"], name="one_rate_per_currency_and_day")]
        indexes = [models.Index(fields=["currency", "on_date"])]

    def __str__(self) -> str:
        return f"{self.currency} {self.on_date}: {self.per_usd}/USD"


class Money(models.Model):
    amount = models.DecimalField(max_digits=18, decimal_places=2)
    currency = models.CharField(max_length=3)
    value_date = models.DateField(help_text="Date of the exchange rate used")
    amount_usd = models.DecimalField(max_digits=18, decimal_places=2)
    amount_eur = models.DecimalField(max_digits=18, decimal_places=2)

    class Meta:
        abstract = True


class Budget(Money):
    class Status(models.TextChoices):
        INDICATIVE = "1", _("Indicative")
        COMMITTED = "2", _("Committed")

    class Kind(models.TextChoices):
        ORIGINAL = "1", _("Original")
        REVISED = "2", _("Revised")

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="budgets")
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=1, choices=Status.choices, default=Status.INDICATIVE)
    kind = models.CharField(max_length=1, choices=Kind.choices, default=Kind.ORIGINAL)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["project", "period_start"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.period_start} to {self.period_end}: {self.amount} {self.currency}"


class Transaction(Money):
    """IATI TransactionType: 1 incoming funds, 11 incoming commitment, 2 outgoing commitment, 3 disbursement,
    4 expenditure (others are accepted from IATI files and kept as they are)."""

    class Kind(models.TextChoices):
        INCOMING_FUNDS = "1", _("Incoming funds")
        OUTGOING_COMMITMENT = "2", _("Outgoing commitment")
        DISBURSEMENT = "3", _("Disbursement")
        EXPENDITURE = "4", _("Expenditure")
        INCOMING_COMMITMENT = "11", _("Incoming commitment")

    COMMITMENT_KINDS = (Kind.INCOMING_COMMITMENT, Kind.OUTGOING_COMMITMENT)

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="transactions")
    kind = models.CharField(max_length=2, choices=Kind.choices)
    transaction_date = models.DateField()
    provider_organisation = models.ForeignKey(
        "partners.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    provider_name = models.CharField(max_length=200, blank=True)
    receiver_organisation = models.ForeignKey(
        "partners.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    receiver_name = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=500, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["project", "transaction_date", "id"]
        indexes = [models.Index(fields=["project", "kind"]), models.Index(fields=["transaction_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency} on {self.transaction_date}"
