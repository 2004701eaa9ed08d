"""Numbering sequences: consecutive numbers, no duplicates and no gaps, even under concurrent saves."""

import threading

import pytest
from django.db import connection, connections, transaction

from crm.core.models import Sequence
from crm.core.services import next_number


@pytest.mark.django_db
def test_next_number_gives_consecutive_numbers_in_the_sequence_mask():
    numbers = [next_number(name="account") for _ in range(3)]

    assert numbers == ["ACC-00001", "ACC-00002", "ACC-00003"]
    assert Sequence.objects.get(name="account").next_value == 4


@pytest.mark.django_db
def test_a_number_taken_in_a_rolled_back_transaction_is_handed_out_again():
    next_number(name="invoice")
    with pytest.raises(RuntimeError), transaction.atomic():
        next_number(name="invoice")
        raise RuntimeError("the save failed")

    assert next_number(name="invoice") == "00002"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_get_no_duplicates_and_no_gaps():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the row lock is a PostgreSQL matter")
    threads_count, per_thread = 8, 25
    results: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(threads_count)

    def take_numbers():
        try:
            start.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    number = next_number(name="order")
                with lock:
                    results.append(number)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take_numbers) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    expected = threads_count * per_thread
    assert len(results) == expected
    assert sorted(int(n) for n in results) == list(range(1, expected + 1))
