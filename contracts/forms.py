"""The contract form: banking details only of the party chosen, and the defaults of a new contract."""

from __future__ import annotations

from accounts.models import BankingDetails
from crm.sections.forms import SectionForm
from products.models import Currency

#: banking details field -> the party field they belong to
BANKING_PARTIES = {"account_banking_details": "account", "our_banking_details": "our_company"}


class ContractForm(SectionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.is_bound:
            currency = Currency.objects.filter(is_base=True).first()
            if "currency" in self.fields and currency is not None:
                self.initial.setdefault("currency", currency.pk)
            if self.initial.get("parent"):
                # "New" on the Subordinate contracts tab: an addendum to this contract
                self.initial.setdefault("type", self.instance.Type.ADDENDUM)
        for field_name, party in BANKING_PARTIES.items():
            if field_name in self.fields:
                self.fields[field_name].queryset = BankingDetails.objects.filter(account_id=self._party_id(party))
        if self.instance.pk and "type" in self.fields:
            self.fields["type"].disabled = True
            self.fields["type"].help_text = "Fixed once the contract is saved."

    def _party_id(self, party: str):
        """The party chosen in the posted form, else the saved one: its banking details are the only choices."""
        if self.is_bound and party in self.fields:
            value = self.data.get(self.add_prefix(party))
            return int(value) if value and str(value).isdigit() else None
        return self.initial.get(party) or getattr(self.instance, f"{party}_id", None)
