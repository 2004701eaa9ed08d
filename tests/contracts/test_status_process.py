"""The contract's status process: Draft → To be signed → Signed, cancelling on the way, one table of transitions
obeyed by the service, the status bar and the form alike."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts import services
from contracts.models import Contract
from tests.factories.contracts import ContractFactory

pytestmark = pytest.mark.django_db

Status = Contract.Status


def test_the_service_moves_a_contract_to_be_signed_then_signed_and_dates_the_signature(alice, today):
    contract = ContractFactory(owner=alice)

    contract = services.move_to(user=alice, contract=contract, status=Status.TO_BE_SIGNED, expected_version=1)
    contract = services.move_to(user=alice, contract=contract, status=Status.SIGNED, expected_version=contract.version)

    contract.refresh_from_db()
    assert contract.status == Status.SIGNED
    assert contract.signed_on == today


def test_the_service_refuses_a_move_the_process_does_not_allow_and_changes_nothing(alice):
    contract = ContractFactory(owner=alice, status=Status.SIGNED)

    with pytest.raises(ValidationError, match="cannot go from “Signed” to “Draft”"):
        services.move_to(user=alice, contract=contract, status=Status.DRAFT, expected_version=contract.version)

    contract.refresh_from_db()
    assert (contract.status, contract.version) == (Status.SIGNED, 1)


def test_a_cancelled_contract_stays_cancelled(alice):
    contract = ContractFactory(owner=alice, status=Status.CANCELLED)

    for status in (Status.DRAFT, Status.TO_BE_SIGNED, Status.SIGNED):
        with pytest.raises(ValidationError):
            services.move_to(user=alice, contract=contract, status=status, expected_version=contract.version)


def test_the_form_obeys_the_same_transitions(alice_client, alice, post_contract):
    contract = ContractFactory(owner=alice, status=Status.SIGNED)

    response = post_contract(alice_client, contract, status=Status.TO_BE_SIGNED)

    assert response.status_code == 422
    assert "cannot go from “Signed” to “To be signed”" in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == Status.SIGNED


def test_the_form_moves_along_an_allowed_transition(alice_client, alice, post_contract):
    contract = ContractFactory(owner=alice)

    response = post_contract(alice_client, contract, status=Status.TO_BE_SIGNED)

    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == Status.TO_BE_SIGNED


def test_the_status_bar_offers_and_performs_the_allowed_moves(alice_client, alice):
    contract = ContractFactory(owner=alice)
    page = alice_client.get(contract.get_absolute_url()).content.decode()
    assert 'id="stage-bar"' in page and 'title="Move to To be signed"' in page
    assert 'title="Move to Signed"' not in page  # a draft is not signed before it goes for signature

    response = alice_client.post(
        reverse("contracts:move", args=[contract.pk]), {"stage": Status.SIGNED, "version": contract.version}
    )
    contract.refresh_from_db()
    assert response.status_code == 302 and contract.status == Status.DRAFT

    alice_client.post(
        reverse("contracts:move", args=[contract.pk]), {"stage": Status.TO_BE_SIGNED, "version": contract.version}
    )
    contract.refresh_from_db()
    assert contract.status == Status.TO_BE_SIGNED


def test_a_new_contract_cannot_start_cancelled(alice_client, post_contract):
    response = post_contract(alice_client, status=Status.CANCELLED)

    assert response.status_code == 422
    assert not Contract.objects.exists()


def test_a_new_contract_gets_its_number_from_the_mask(alice_client, post_contract):
    response = post_contract(alice_client)

    assert response.status_code == 302
    assert Contract.objects.get().number == "CON-00001"


def test_the_type_is_fixed_once_saved(alice):
    from crm.sections import registry
    from crm.sections.services import update_record

    contract = ContractFactory(owner=alice)

    with pytest.raises(ValidationError, match="type of a contract is fixed"):
        update_record(
            section=registry.get("contracts"),
            user=alice,
            obj=contract,
            data={"type": Contract.Type.SPECIFICATION, "parent": ContractFactory(owner=alice)},
            expected_version=1,
        )
