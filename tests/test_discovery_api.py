"""The ADS operations Migration Hub relies on, through a real boto3 discovery client."""

from __future__ import annotations

import re

import pytest

from helpers import raises

SERVER_ID = re.compile(r"d-server-0[0-9a-z]{13}")
APP_ID = re.compile(r"d-application-0[0-9a-z]{13}")


@pytest.fixture
def ads(hub, session):
    return session.client("discovery")


def test_application_lifecycle_and_membership(ads, hub):
    web, db = hub.add_server(hostname="web-01"), hub.add_server(hostname="db-01", os_name="Linux")
    app = ads.create_application(name="shop", description="web shop")["configurationId"]
    assert APP_ID.fullmatch(app) and SERVER_ID.fullmatch(web)
    ads.associate_configuration_items_to_application(applicationConfigurationId=app, configurationIds=[web, db])
    ads.update_application(configurationId=app, name="storefront")
    [described] = ads.describe_configurations(configurationIds=[app])["configurations"]
    assert described["application.name"] == "storefront" and described["application.serverCount"] == "2"
    servers = ads.describe_configurations(configurationIds=[web, db])["configurations"]
    assert [s["server.hostName"] for s in servers] == ["web-01", "db-01"]
    ads.disassociate_configuration_items_from_application(applicationConfigurationId=app, configurationIds=[db])
    summary = ads.get_discovery_summary()
    assert (summary["servers"], summary["applications"], summary["serversMappedToApplications"]) == (2, 1, 1)
    ads.delete_applications(configurationIds=[app])
    assert ads.get_discovery_summary()["applications"] == 0


def test_an_unknown_configuration_id_is_an_invalid_parameter_value(ads):
    with raises("InvalidParameterValueException", service="discovery"):
        ads.describe_configurations(configurationIds=["d-server-0000000000000x"])


def test_list_configurations_filters_orders_and_pages(ads, hub):
    for name in ("db-02", "web-01", "db-01", "web-02"):
        hub.add_server(hostname=name)
    pages = list(
        ads.get_paginator("list_configurations").paginate(
            configurationType="SERVER",
            filters=[{"name": "server.hostName", "values": ["db"], "condition": "CONTAINS"}],
            orderBy=[{"fieldName": "server.hostName", "sortOrder": "DESC"}],
            PaginationConfig={"PageSize": 1},
        )
    )
    assert [c["server.hostName"] for p in pages for c in p["configurations"]] == ["db-02", "db-01"]
    with raises("InvalidParameterValueException", service="discovery", match="nextToken"):
        ads.list_configurations(configurationType="SERVER", nextToken="garbage")


def test_ads_operations_fakehub_does_not_cover_answer_a_modeled_error_not_the_network(ads):
    with raises("InvalidParameterException", service="discovery", match="does not implement"):
        ads.describe_agents()


def test_ads_validation_answers_in_ads_terms(ads):
    with raises("InvalidParameterValueException", service="discovery", match="configurationType"):
        ads.list_configurations(configurationType="NOT_A_TYPE")


def test_a_next_token_cannot_cross_accounts(ads, hub):
    """Account B resuming at account A's cursor is refused; A's own pages keep working."""
    import base64

    import boto3

    hub.map_access_key("AKIDOTHERACCOUNT", "444455556666")
    other = boto3.client("discovery", aws_access_key_id="AKIDOTHERACCOUNT", aws_secret_access_key="s")
    for name in ("a-secret-1", "a-secret-2", "a-secret-3"):
        hub.add_server(hostname=name)
    hub.add_server(account="444455556666", hostname="b-1")
    by_name = [{"fieldName": "server.hostName"}]
    first = ads.list_configurations(configurationType="SERVER", maxResults=1, orderBy=by_name)
    assert b"a-secret" not in base64.b64decode(first["nextToken"])
    with raises("InvalidParameterValueException", service="discovery", match="account"):
        other.list_configurations(configurationType="SERVER", orderBy=by_name, nextToken=first["nextToken"])
    second = ads.list_configurations(
        configurationType="SERVER", maxResults=1, orderBy=by_name, nextToken=first["nextToken"]
    )
    assert [c["server.hostName"] for c in second["configurations"]] == ["a-secret-2"]


@pytest.mark.parametrize(
    "name", ["server.agentId", "server.tag.key", "server.process.name", "server.vmWareInfo.hostId"]
)
def test_guide_filters_on_data_fakehub_does_not_hold_answer_nothing(ads, hub, name):
    hub.add_server(hostname="web-01")
    found = ads.list_configurations(
        configurationType="SERVER", filters=[{"name": name, "values": ["web-01"], "condition": "EQUALS"}]
    )
    assert found["configurations"] == []
