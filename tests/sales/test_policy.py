"""The sales policy reads its overrides from the environment and refuses what it cannot read."""

import pytest

from server.sales.policy import Policy, PolicyError, load_policy


def test_the_defaults_serve_a_typical_dealership(monkeypatch):
    for name in ("POOL_RETURN_DAYS", "FOLLOW_UP_CADENCE_DAYS", "LOSS_NEEDS_APPROVAL", "POOL_HOLDING_CAP"):
        monkeypatch.delenv(name, raising=False)
    policy = load_policy()
    assert policy == Policy()
    assert policy.cadence_days("A") == 2 and policy.cadence_days(None) is None
    assert policy.return_days("A") == 7 and policy.return_days(None) == 30


def test_environment_variables_override_single_values(monkeypatch):
    monkeypatch.setenv("POOL_RETURN_DAYS", "a=3, *=10")
    monkeypatch.setenv("FOLLOW_UP_CADENCE_DAYS", "D=60")
    monkeypatch.setenv("LOSS_NEEDS_APPROVAL", "true")
    monkeypatch.setenv("POOL_HOLDING_CAP", "80")
    policy = load_policy()
    assert policy.return_days("A") == 3 and policy.return_days("B") == 15 and policy.return_days(None) == 10
    assert policy.cadence_days("D") == 60 and policy.cadence_days("A") == 2
    assert policy.loss_needs_approval and policy.pool_holding_cap == 80


@pytest.mark.parametrize("name, value", [
    ("POOL_HOLDING_CAP", "many"), ("POOL_DAILY_CLAIM_CAP", "-1"), ("POOL_RETURN_DAYS", "E=3"),
    ("FOLLOW_UP_CADENCE_DAYS", "A:2"), ("STAGE_PROBABILITY", "CONTRACT=120"),
])
def test_a_value_that_cannot_be_read_names_its_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(PolicyError, match=name):
        load_policy()
