"""The pure home-region service and the region gate (no wire layer involved)."""

from __future__ import annotations

import random
import re

import botocore.session
import pytest

from fakehub.core.context import Call
from fakehub.core.errors import ServiceError
from fakehub.core.homeregion import (
    OPS_WITHOUT_HOME_REGION_NOT_SET,
    AccountHomeRegion,
    HomeRegionControl,
    HomeRegionService,
    RegionGate,
    is_read,
    region_gate,
)
from fakehub.wire.services import regions

ACCOUNT = "123456789012"
OTHER = "210987654321"
CONTROL_ID = re.compile(r"^hrc-[a-z0-9]{12}$")
TOKEN = re.compile(r"^[a-zA-Z0-9/+=]{0,2048}$")

_SESSION = botocore.session.get_session()
MGH = _SESSION.get_service_model("mgh")
CONFIG = _SESSION.get_service_model("migrationhub-config")


def call(region: str = "us-west-2", account: str = ACCOUNT, now: float = 1_700_000_000.5) -> Call:
    return Call(account=account, region=region, now=now)


def modeled_errors(model, operation: str) -> set[str]:
    return {shape.name for shape in model.operation_model(operation).error_shapes}


@pytest.fixture
def svc() -> HomeRegionService:
    return HomeRegionService(rng=random.Random(7), supported_regions=regions("mgh"))


def create(svc: HomeRegionService, region: str = "us-west-2", **target) -> dict:
    return svc.create_home_region_control(call(), HomeRegion=region, Target={"Type": "ACCOUNT", **target})


def refusal(fn, *args, **kwargs) -> ServiceError:
    with pytest.raises(ServiceError) as info:
        fn(*args, **kwargs)
    return info.value


# ---------------------------------------------------------------- config ops


def test_get_home_region_is_empty_when_unset(svc):
    assert svc.get_home_region(call()) == {}
    assert svc.home_region(ACCOUNT) is None


def test_create_then_get_from_any_region(svc):
    out = create(svc, Id=ACCOUNT)["HomeRegionControl"]
    assert CONTROL_ID.match(out["ControlId"])
    assert out["HomeRegion"] == "us-west-2"
    assert out["Target"] == {"Type": "ACCOUNT", "Id": ACCOUNT}
    assert out["RequestedTime"] == 1_700_000_000.5
    for region in ("us-west-2", "eu-west-1", "ap-northeast-1"):
        assert svc.get_home_region(call(region)) == {"HomeRegion": "us-west-2"}


def test_output_members_are_modeled(svc):
    out = create(svc)
    shape = CONFIG.operation_model("CreateHomeRegionControl").output_shape
    assert set(out) <= set(shape.members)
    assert set(out["HomeRegionControl"]) <= set(shape.members["HomeRegionControl"].members)


def test_control_ids_are_deterministic_given_the_rng():
    ids = [
        HomeRegionService(rng=random.Random(3)).create_home_region_control(
            call(), HomeRegion="us-east-1", Target={"Type": "ACCOUNT"}
        )["HomeRegionControl"]["ControlId"]
        for _ in range(2)
    ]
    assert ids[0] == ids[1]


def test_target_id_defaults_to_caller(svc):
    assert create(svc)["HomeRegionControl"]["Target"]["Id"] == ACCOUNT


def test_foreign_target_id_is_invalid_input(svc):
    err = refusal(create, svc, Id=OTHER)
    assert err.code == "InvalidInputException"
    assert OTHER in err.message and ACCOUNT in err.message
    assert svc.get_home_region(call()) == {}


def test_unsupported_region_is_invalid_input(svc):
    err = refusal(create, svc, region="sa-east-1")
    assert err.code == "InvalidInputException" and "sa-east-1" in err.message


def test_any_region_when_support_check_disabled():
    svc = HomeRegionService(rng=random.Random(1), supported_regions=None)
    assert create(svc, region="sa-east-1")["HomeRegionControl"]["HomeRegion"] == "sa-east-1"


def test_second_create_names_existing_control_and_how_to_delete(svc):
    first = create(svc)["HomeRegionControl"]
    err = refusal(create, svc, region="eu-west-1")
    assert err.code == "InvalidInputException"
    assert first["ControlId"] in err.message and "us-west-2" in err.message
    assert "DeleteHomeRegionControl" in err.message
    assert err.code in modeled_errors(CONFIG, "CreateHomeRegionControl")


def test_accounts_are_independent(svc):
    create(svc)
    assert svc.get_home_region(call(account=OTHER)) == {}
    assert svc.describe_home_region_controls(call(account=OTHER)) == {"HomeRegionControls": []}


def test_describe_without_filters_and_when_empty(svc):
    assert svc.describe_home_region_controls(call()) == {"HomeRegionControls": []}
    control = create(svc)["HomeRegionControl"]
    assert svc.describe_home_region_controls(call("eu-west-1")) == {"HomeRegionControls": [control]}


@pytest.mark.parametrize(
    ("filters", "hit"),
    [
        ({"ControlId": "{id}"}, True),
        ({"ControlId": "hrc-000000000000"}, False),
        ({"HomeRegion": "us-west-2"}, True),
        ({"HomeRegion": "eu-west-1"}, False),
        ({"Target": {"Type": "ACCOUNT"}}, True),
        ({"Target": {"Type": "ACCOUNT", "Id": ACCOUNT}}, True),
        ({"Target": {"Type": "ACCOUNT", "Id": OTHER}}, False),
        ({"ControlId": "{id}", "HomeRegion": "eu-west-1"}, False),
    ],
)
def test_describe_filters(svc, filters, hit):
    control = create(svc)["HomeRegionControl"]
    if filters.get("ControlId") == "{id}":
        filters = {**filters, "ControlId": control["ControlId"]}
    out = svc.describe_home_region_controls(call(), **filters)
    assert out["HomeRegionControls"] == ([control] if hit else [])


def test_describe_paging_with_max_results_and_empty_token(svc):
    control = create(svc)["HomeRegionControl"]
    out = svc.describe_home_region_controls(call(), MaxResults=1, NextToken="")
    assert out == {"HomeRegionControls": [control]}


@pytest.mark.parametrize("token", ["bm90IGEgdG9rZW4=", "AAAA", "!!notbase64"])
def test_describe_rejects_foreign_tokens(svc, token):
    create(svc)
    err = refusal(svc.describe_home_region_controls, call(), NextToken=token)
    assert err.code == "InvalidInputException"


def test_delete_then_create_again(svc):
    first = create(svc)["HomeRegionControl"]
    assert svc.delete_home_region_control(call("eu-west-1"), ControlId=first["ControlId"]) == {}
    assert svc.get_home_region(call()) == {}
    assert svc.describe_home_region_controls(call()) == {"HomeRegionControls": []}
    second = create(svc, region="eu-west-1")["HomeRegionControl"]
    assert second["ControlId"] != first["ControlId"]
    assert svc.get_home_region(call()) == {"HomeRegion": "eu-west-1"}


def test_delete_unknown_control_is_invalid_input(svc):
    err = refusal(svc.delete_home_region_control, call(), ControlId="hrc-000000000000")
    assert err.code == "InvalidInputException"
    assert err.code in modeled_errors(CONFIG, "DeleteHomeRegionControl")
    control = create(svc)["HomeRegionControl"]
    other = refusal(svc.delete_home_region_control, call(account=OTHER), ControlId=control["ControlId"])
    assert other.code == "InvalidInputException"
    assert svc.get_home_region(call()) == {"HomeRegion": "us-west-2"}


def test_shared_store_is_what_the_service_reads():
    store: dict[str, AccountHomeRegion] = {}
    store[ACCOUNT] = AccountHomeRegion(HomeRegionControl("hrc-abcdefabcdef", "eu-west-2", "ACCOUNT", ACCOUNT, 1.0))
    svc = HomeRegionService(accounts=lambda a: store.setdefault(a, AccountHomeRegion()))
    assert svc.get_home_region(call()) == {"HomeRegion": "eu-west-2"}


# ---------------------------------------------------------------- region gate

MGH_OPS = sorted(MGH.operation_names)
MODELS_NOT_SET = {op: "HomeRegionNotSetException" in modeled_errors(MGH, op) for op in MGH_OPS}


def test_model_agrees_with_the_2024_list():
    assert {op for op, models in MODELS_NOT_SET.items() if not models} == OPS_WITHOUT_HOME_REGION_NOT_SET
    assert len(MGH_OPS) == 21


@pytest.mark.parametrize("op", MGH_OPS)
def test_gate_without_home_region(op):
    err = region_gate(op, MODELS_NOT_SET[op], None, "us-west-2")
    expected = "HomeRegionNotSetException" if MODELS_NOT_SET[op] else "InvalidInputException"
    assert err is not None and err.code == expected
    assert err.code in modeled_errors(MGH, op)
    assert "home region is not set" in err.message and "mock_migrationhub(home_region=" in err.message


@pytest.mark.parametrize("op", MGH_OPS)
def test_gate_in_home_region_passes(op):
    assert region_gate(op, MODELS_NOT_SET[op], "us-west-2", "us-west-2") is None


@pytest.mark.parametrize("op", MGH_OPS)
def test_default_gate_refuses_every_op_outside_home(op):
    err = region_gate(op, MODELS_NOT_SET[op], "us-west-2", "eu-west-1")
    assert err is not None and err.code == "InvalidInputException"
    assert err.code in modeled_errors(MGH, op)
    assert "us-west-2" in err.message and "eu-west-1" in err.message
    assert "mock_migrationhub(home_region=" in err.message and "DeleteHomeRegionControl" in err.message


READS = {op for op in MGH_OPS if op.startswith(("List", "Describe", "Get"))} | {"DeleteProgressUpdateStream"}


@pytest.mark.parametrize("op", MGH_OPS)
def test_permissive_gate_lets_reads_and_deletes_through(op):
    gate = RegionGate(reads_outside_home=True)
    err = gate(op, MODELS_NOT_SET[op], "us-west-2", "eu-west-1")
    assert (err is None) == (op in READS)


def test_permissive_gate_can_treat_delete_as_write():
    gate = RegionGate(reads_outside_home=True, delete_is_read=False)
    assert gate("DeleteProgressUpdateStream", True, "us-west-2", "eu-west-1").code == "InvalidInputException"
    assert gate("ListMigrationTasks", True, "us-west-2", "eu-west-1") is None


@pytest.mark.parametrize(
    ("op", "read"),
    [
        ("StopDataCollectionByAgentIds", True),
        ("BatchDeleteAgents", True),
        ("StartDataCollectionByAgentIds", False),
        ("StartBatchDeleteConfigurationTask", False),
        ("DescribeConfigurations", True),
        ("CreateApplication", False),
        ("UpdateApplication", False),
    ],
)
def test_discovery_verbs(op, read):
    assert is_read(op) is read
