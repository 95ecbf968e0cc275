"""Function resources, region and identity are deploy-time settings with checked defaults."""

import pytest

from avmeets import runtime_options
from avmeets.runtime_options import DEFAULTS, from_env, global_options, sdk_options


def test_defaults_cover_every_function_and_are_valid() -> None:
    options = from_env({})
    assert set(options.resources) == set(DEFAULTS)
    assert options.region == "us-central1"
    assert options.service_account == "avmeets-functions@"
    assert options.turn_configured is False
    assert options.enforce_app_check is False


def test_every_concurrent_function_has_a_full_cpu() -> None:
    for name, chosen in from_env({}).resources.items():
        assert chosen.concurrency == 1 or chosen.cpu >= 1, name


def test_auth_callback_is_kept_warm_for_the_seven_second_limit() -> None:
    assert from_env({}).for_function("auth_callback").min_instances == 1
    assert (
        from_env({"AUTH_CALLBACK_MIN_INSTANCES": "0"}).for_function("auth_callback").min_instances
        == 0
    )


def test_overrides_per_function() -> None:
    options = from_env(
        {
            "FUNCTIONS_REGION": "europe-west1",
            "JOIN_MEETING_CONCURRENCY": "40",
            "THREADS": "40",
            "PURGE_MEMORY_MIB": "2048",
            "FUNCTIONS_SERVICE_ACCOUNT": "runner@my-project.iam.gserviceaccount.com",
            "TURN_URLS": "turn:turn.example.org:3478",
            "APP_CHECK_ENFORCE": "1",
        }
    )
    assert options.region == "europe-west1"
    assert options.for_function("join_meeting").concurrency == 40
    assert options.for_function("purge").memory_mib == 2048
    assert options.service_account == "runner@my-project.iam.gserviceaccount.com"
    assert options.turn_configured and options.enforce_app_check


def test_default_service_account_can_be_chosen_explicitly() -> None:
    assert from_env({"FUNCTIONS_SERVICE_ACCOUNT": "default"}).service_account is None
    assert "service_account" not in global_options(
        from_env({"FUNCTIONS_SERVICE_ACCOUNT": "default"})
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"FUNCTIONS_REGION": "Europe West"}, "FUNCTIONS_REGION"),
        ({"HEARTBEAT_CPU": "3"}, "HEARTBEAT_CPU"),
        ({"HEARTBEAT_MEMORY_MIB": "300"}, "HEARTBEAT_MEMORY_MIB"),
        ({"HEARTBEAT_CONCURRENCY": "0"}, "HEARTBEAT_CONCURRENCY"),
        ({"HEARTBEAT_CONCURRENCY": "many"}, "HEARTBEAT_CONCURRENCY"),
        ({"PURGE_MEMORY_MIB": "8192"}, "PURGE_MEMORY_MIB"),
        ({"SWEEP_MIN_INSTANCES": "3", "SWEEP_MAX_INSTANCES": "2"}, "SWEEP_MIN_INSTANCES"),
        ({"FUNCTIONS_SERVICE_ACCOUNT": "runner"}, "FUNCTIONS_SERVICE_ACCOUNT"),
        ({"APP_CHECK_ENFORCE": "maybe"}, "APP_CHECK_ENFORCE"),
        ({"HEARTBEAT_CONCURRENCY": "20"}, "THREADS"),
    ],
)
def test_bad_values_name_their_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        from_env(env)


def test_sdk_options_map_to_the_sdk_types() -> None:
    from firebase_functions import options as sdk

    kwargs = sdk_options(from_env({}), "purge")
    assert kwargs["memory"] is sdk.MemoryOption.GB_1
    assert kwargs["timeout_sec"] == 540
    assert "concurrency" not in kwargs  # scheduled: one at a time
    assert sdk_options(from_env({}), "heartbeat")["concurrency"] == 8


def test_memory_choices_match_the_sdk() -> None:
    from firebase_functions import options as sdk

    assert set(runtime_options.MEMORY_MIB) == {int(m) for m in sdk.MemoryOption}
