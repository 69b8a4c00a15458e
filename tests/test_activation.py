"""Which clients the hub answers, and how activation behaves."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError

from fakehub import active, active_hub, mock_migrationhub

REGION = "us-west-2"


def streams(client) -> list[str]:
    return [
        s["ProgressUpdateStreamName"] for s in client.list_progress_update_streams()["ProgressUpdateStreamSummaryList"]
    ]


def test_default_session_custom_session_and_plain_botocore_are_answered():
    with mock_migrationhub(home_region=REGION):
        boto3.client("mgh", region_name=REGION).create_progress_update_stream(ProgressUpdateStreamName="A")
        custom = boto3.Session(aws_access_key_id="k", aws_secret_access_key="s", region_name=REGION).client("mgh")
        core = botocore.session.get_session().create_client(
            "mgh", region_name=REGION, aws_access_key_id="k2", aws_secret_access_key="s"
        )
        assert streams(custom) == ["A"] and streams(core) == ["A"]


def test_a_client_made_before_activation_is_answered_and_state_is_fresh_per_activation():
    client = boto3.Session(aws_access_key_id="k", aws_secret_access_key="s", region_name=REGION).client("mgh")
    with mock_migrationhub(home_region=REGION):
        client.create_progress_update_stream(ProgressUpdateStreamName="A")
        assert streams(client) == ["A"]
    with mock_migrationhub(home_region=REGION):
        assert streams(client) == []


def test_nesting_gives_the_inner_block_its_own_hub_and_restores_the_outer_one():
    client = boto3.Session(aws_access_key_id="k", aws_secret_access_key="s", region_name=REGION).client("mgh")
    with mock_migrationhub(home_region=REGION) as outer:
        client.create_progress_update_stream(ProgressUpdateStreamName="outer")
        with mock_migrationhub(home_region=REGION) as inner:
            assert active_hub() is inner and streams(client) == []
        assert active_hub() is outer and streams(client) == ["outer"]
    assert active_hub() is None


def test_decorator_on_sync_and_async_functions_activates_a_fresh_hub_per_call():
    seen = []

    @mock_migrationhub(home_region=REGION)
    def sync_tool():
        mgh = boto3.client("mgh", region_name=REGION)
        mgh.create_progress_update_stream(ProgressUpdateStreamName=f"s{len(seen)}")
        seen.append(streams(mgh))

    @mock_migrationhub(home_region=REGION)
    async def async_tool():
        await asyncio.sleep(0)
        mgh = boto3.client("mgh", region_name=REGION)
        seen.append(streams(mgh))
        return active_hub()

    sync_tool()
    sync_tool()
    hub = asyncio.run(async_tool())
    assert seen == [["s0"], ["s1"], []]
    assert hub is not None and active_hub() is None


def test_other_services_are_untouched():
    sts = boto3.client(
        "sts",
        region_name=REGION,
        endpoint_url="http://127.0.0.1:9",
        config=Config(retries={"max_attempts": 1}, connect_timeout=0.2),
    )
    # it went to the (closed) network: fakehub did not answer it
    with mock_migrationhub(), pytest.raises(EndpointConnectionError):
        sts.get_caller_identity()


def test_fake_credentials_are_set_only_while_active_and_only_when_none_are_configured(monkeypatch):
    import os

    with mock_migrationhub():
        assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
    assert "AWS_ACCESS_KEY_ID" not in os.environ
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "mine")
    with mock_migrationhub():
        assert os.environ["AWS_ACCESS_KEY_ID"] == "mine"


_FILE_KEYS = "[default]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = s\n"


def _write(path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize(
    ("files", "variables"),
    [
        pytest.param({".aws/credentials": _FILE_KEYS}, {}, id="credentials-file-in-home"),
        pytest.param(
            {"elsewhere/creds": _FILE_KEYS}, {"AWS_SHARED_CREDENTIALS_FILE": "elsewhere/creds"}, id="named-file"
        ),
        pytest.param(
            {".aws/config": "[profile default]\ncredential_process = echo\n"}, {}, id="config-default-profile"
        ),
        pytest.param({"cfg": "[default]\nrole_arn = arn:aws:iam::1:role/r\n"}, {"AWS_CONFIG_FILE": "cfg"}, id="role"),
        pytest.param({}, {"AWS_DEFAULT_PROFILE": "mine"}, id="default-profile-variable"),
    ],
)
def test_credentials_in_the_shared_files_or_a_named_profile_are_the_users_own(tmp_path, monkeypatch, files, variables):
    """No fake keys over them: botocore would find these, and they would lose to fake ones in
    the environment."""
    import os

    for name in ("AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    for relative, text in files.items():
        _write(tmp_path / relative, text)
    for name, value in variables.items():
        monkeypatch.setenv(name, str(tmp_path / value) if name.endswith("_FILE") else value)
    with mock_migrationhub(home_region=REGION):
        assert "AWS_ACCESS_KEY_ID" not in os.environ and "AWS_SECRET_ACCESS_KEY" not in os.environ


def test_a_request_signed_with_the_shared_credentials_file_acts_in_its_mapped_account(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", _write(tmp_path / "credentials", _FILE_KEYS))
    with mock_migrationhub(home_region=REGION, accounts={"AKIDFROMFILE": "111122223333"}) as hub:
        boto3.Session(region_name=REGION).client("mgh").create_progress_update_stream(ProgressUpdateStreamName="A")
        assert hub.accounts() == ["111122223333"]  # before: the fake "testing" keys, account 123456789012


@pytest.mark.parametrize(
    "text",
    [
        "[default]\nregion = us-west-2\n",  # a region is not a credential
        "[profile other]\naws_access_key_id = AKIDOTHER\n",  # not the profile botocore would use
        "not an ini file\n",  # botocore refuses it too
    ],
)
def test_shared_files_without_default_credentials_get_fake_ones(tmp_path, monkeypatch, text):
    import os

    monkeypatch.setenv("AWS_CONFIG_FILE", _write(tmp_path / "config", text))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", _write(tmp_path / "credentials", text.replace("profile ", "")))
    with mock_migrationhub(home_region=REGION):
        assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
    assert "AWS_ACCESS_KEY_ID" not in os.environ


def test_the_credentials_check_reads_an_environment_without_os_environs_dict(tmp_path):
    """The check looks variables up in ``os.environ``'s own dict where it has one; any other
    mapping (an interpreter without it) gives the same answers."""
    from fakehub import activation

    credentials = _write(tmp_path / "credentials", _FILE_KEYS)
    home = {"HOME": str(tmp_path), "USERPROFILE": str(tmp_path)}
    assert activation._credentials_configured({"AWS_DEFAULT_PROFILE": "mine"})
    assert activation._credentials_configured({**home, "AWS_SHARED_CREDENTIALS_FILE": credentials})
    assert not activation._credentials_configured({**home, "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none")})


def test_a_client_from_a_session_made_before_fakehub_was_imported_is_still_answered():
    script = textwrap.dedent(
        """
        import boto3
        client = boto3.Session(aws_access_key_id="k", aws_secret_access_key="s",
                               region_name="us-west-2").client("mgh")
        from fakehub import mock_migrationhub
        with mock_migrationhub(home_region="us-west-2"):
            client.create_progress_update_stream(ProgressUpdateStreamName="early")
            names = client.list_progress_update_streams()["ProgressUpdateStreamSummaryList"]
        print(names[0]["ProgressUpdateStreamName"])
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "early"


class _Stop(Exception):
    pass


def test_while_active_requests_carry_the_credential_scope_instead_of_a_sigv4_signature():
    client = boto3.Session(aws_access_key_id="AKIDSCOPE", aws_secret_access_key="s", region_name=REGION).client("mgh")
    seen: list[str] = []

    def peek(request, **_):
        auth = request.headers["Authorization"]
        seen.append(auth.decode() if isinstance(auth, bytes) else auth)

    client.meta.events.register_first("before-send.migration-hub", peek)
    with mock_migrationhub(home_region=REGION, accounts={"AKIDSCOPE": "111122223333"}) as hub:
        client.create_progress_update_stream(ProgressUpdateStreamName="A")
        assert hub.streams("111122223333") == ["A"]  # the credentials still decide the account
    assert seen[-1].startswith(f"AWS4-HMAC-SHA256 Credential=AKIDSCOPE/00000000/{REGION}/mgh/aws4_request")

    def stop(**_):  # no hub: stop the request before it would leave for AWS
        raise _Stop

    client.meta.events.register("before-send.migration-hub", stop)
    with pytest.raises(_Stop):
        client.list_progress_update_streams()
    assert seen[-1].startswith("AWS4-HMAC-SHA256 Credential=AKIDSCOPE/2") and "Signature=none" not in seen[-1]


def test_a_client_without_credentials_still_gets_no_credentials_error():
    from botocore.exceptions import NoCredentialsError

    client = botocore.session.get_session().create_client("mgh", region_name=REGION)
    with mock_migrationhub(fake_credentials=False), pytest.raises(NoCredentialsError):
        client.list_progress_update_streams()


def test_a_client_made_before_the_fake_credentials_were_set_is_told_how_to_fix_it(monkeypatch):
    """Made at import time, with no credentials anywhere: still a NoCredentialsError (users'
    ``except`` clauses), now with the fix in its message."""
    from botocore.exceptions import NoCredentialsError

    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance metadata: none from the network

    early = boto3.Session(region_name=REGION).client("mgh")  # credentials are resolved now: none
    with mock_migrationhub(home_region=REGION), pytest.raises(NoCredentialsError) as raised:
        early.list_progress_update_streams()
    message = str(raised.value)
    assert message.startswith("Unable to locate credentials. A fakehub hub is active")
    assert "Create the client inside the mock_migrationhub() block" in message
    assert "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY before creating clients" in message


def test_decorating_a_class_gives_each_test_a_fresh_hub_and_drops_none(pytester):
    """A decorated class stays a class (pytest collects every test of it); a TestCase has
    its hub from setUp to its last cleanup."""
    pytester.makepyfile("""
    import unittest, boto3, pytest, fakehub
    from fakehub import mock_migrationhub

    @mock_migrationhub(home_region="us-west-2")
    class TestPlain:
        def test_one(self):
            boto3.client("mgh", region_name="us-west-2").create_progress_update_stream(ProgressUpdateStreamName="A")
            assert fakehub.active_hub().streams() == ["A"]
        def test_two_fresh(self):
            assert fakehub.active_hub().streams() == []
        def helper(self):
            return fakehub.active_hub()

    @mock_migrationhub(home_region="eu-west-1")
    class TestUnit(unittest.TestCase):
        def setUp(self):
            self.mgh = boto3.client("mgh", region_name="eu-west-1")
            self.mgh.create_progress_update_stream(ProgressUpdateStreamName="Prepared")
        def tearDown(self):
            assert fakehub.active_hub() is not None
        def test_sees_setup(self):
            assert fakehub.active_hub().streams() == ["Prepared"]
        def test_fresh_each_time(self):
            self.mgh.create_progress_update_stream(ProgressUpdateStreamName="Mine")
            assert fakehub.active_hub().streams() == ["Mine", "Prepared"]

    def test_no_hub_after():
        assert fakehub.active_hub() is None""")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)


def test_overlapping_activations_in_two_threads_share_the_fake_credentials_until_the_last_exits():
    """The first thread's exit must not take away credentials the second still uses."""
    import os
    import threading

    first_in, first_out = threading.Event(), threading.Event()
    outcome: list[object] = []

    def second() -> None:
        first_in.wait(10)
        with mock_migrationhub(home_region=REGION):
            first_out.wait(10)  # the first activation has ended by now
            client = boto3.Session(region_name=REGION).client("mgh")  # credentials read from the environment now
            try:
                outcome.append(streams(client))
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                outcome.append(error)

    worker = threading.Thread(target=second)
    worker.start()
    with mock_migrationhub(home_region=REGION):
        first_in.set()
        for _ in range(200):  # until the second thread is inside its activation
            if len(active.hubs) == 2:
                break
            threading.Event().wait(0.01)
    first_out.set()
    worker.join(10)
    assert outcome == [[]]  # before the fix: NoCredentialsError
    assert "AWS_ACCESS_KEY_ID" not in os.environ  # removed once the last user exited


def test_one_mock_object_entered_from_two_threads_ends_each_threads_own_activation():
    import threading

    shared = mock_migrationhub(home_region=REGION)
    entered, release = threading.Barrier(2), threading.Event()
    hubs: dict[str, object] = {}

    def run(name: str) -> None:
        with shared as hub:
            hubs[name] = hub
            entered.wait(10)
            if name == "a":
                return  # exits first
            release.wait(10)
            hubs["b-still-active"] = hub in active.hubs

    threads = {name: threading.Thread(target=run, args=(name,)) for name in "ab"}
    for thread in threads.values():
        thread.start()
    threads["a"].join(10)
    release.set()
    threads["b"].join(10)
    assert hubs["a"] is not hubs["b"] and hubs["b-still-active"] is True
    assert active_hub() is None


def test_threads_making_a_fresh_hubs_first_calls_together_share_one_dispatcher_and_journal(monkeypatch):
    """Made lazily under the hub's lock: two dispatchers would number request ids twice over,
    two journals would lose entries.  The constructors are slowed to widen the race."""
    import threading
    import time

    import fakehub
    import fakehub.hub

    def slowed(cls):
        class Slow(cls):
            def __init__(self, *args, **kwargs):
                time.sleep(0.01)
                super().__init__(*args, **kwargs)

        return Slow

    monkeypatch.setattr(fakehub.hub, "Dispatcher", slowed(fakehub.hub.Dispatcher))
    monkeypatch.setattr(fakehub.hub, "Journal", slowed(fakehub.hub.Journal))
    hub = fakehub.Hub(home_region=REGION)
    start = threading.Barrier(8)
    seen: list[tuple[object, object]] = []

    def first_call() -> None:
        start.wait(10)
        seen.append((hub.dispatcher, hub.journal))

    threads = [threading.Thread(target=first_call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(seen) == 8 and len({id(d) for d, _ in seen}) == 1 and len({id(j) for _, j in seen}) == 1


@pytest.mark.parametrize("refused", ["policy", "dry-run allowed", "dry-run denied"])
def test_a_refused_call_or_a_dry_run_does_not_decide_an_auto_home_region(refused):
    """Only a call that would succeed may set an "auto" account's home region."""
    from botocore.exceptions import ClientError

    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "mgh:*", "Resource": "*"}]}
    with mock_migrationhub(
        home_region="auto", accounts={"AKIDDENIED": "111122223333", "AKIDOK": "111122223333"}
    ) as hub:
        if refused != "dry-run allowed":
            hub.attach_policy("AKIDDENIED", policy)
        denied = boto3.Session(aws_access_key_id="AKIDDENIED", aws_secret_access_key="s", region_name="eu-west-1")
        mgh = denied.client("mgh")
        if refused == "policy":
            with pytest.raises(ClientError) as raised:
                mgh.list_progress_update_streams()
        else:
            with pytest.raises(ClientError) as raised:
                mgh.create_progress_update_stream(ProgressUpdateStreamName="S", DryRun=True)
        assert (
            raised.value.response["Error"]["Code"]
            == {
                "policy": "AccessDeniedException",
                "dry-run allowed": "DryRunOperation",
                "dry-run denied": "UnauthorizedOperation",
            }[refused]
        )
        allowed = boto3.Session(aws_access_key_id="AKIDOK", aws_secret_access_key="s", region_name=REGION)
        allowed.client("mgh").create_progress_update_stream(ProgressUpdateStreamName="S")
        assert allowed.client("migrationhub-config").get_home_region()["HomeRegion"] == REGION
        assert hub.streams("111122223333") == ["S"]


def test_a_decorated_generator_runs_its_whole_body_with_a_hub():
    @mock_migrationhub(home_region=REGION)
    def fixture_like():
        boto3.client("mgh", region_name=REGION).create_progress_update_stream(ProgressUpdateStreamName="G")
        received = yield active_hub()
        assert received == "sent" and active_hub() is not None
        yield streams(boto3.client("mgh", region_name=REGION))

    generator = fixture_like()
    assert active_hub() is None
    hub = next(generator)
    assert hub is not None and hub.streams() == ["G"]
    assert generator.send("sent") == ["G"]
    generator.close()
    assert active_hub() is None


def test_a_decorated_async_generator_runs_its_whole_body_with_a_hub():
    @mock_migrationhub(home_region=REGION)
    async def fixture_like():
        boto3.client("mgh", region_name=REGION).create_progress_update_stream(ProgressUpdateStreamName="A")
        received = yield active_hub().streams()
        yield (received, active_hub() is not None)

    async def drive() -> list[object]:
        agen = fixture_like()
        first = await agen.__anext__()
        second = await agen.asend("sent")
        await agen.aclose()
        return [first, second, active_hub()]

    assert asyncio.run(drive()) == [["A"], ("sent", True), None]
