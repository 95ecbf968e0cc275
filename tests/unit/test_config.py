"""Configuration: defaults, parsing and clear errors for bad values."""

import pytest

from avmeets.config import Settings


def test_defaults() -> None:
    s = Settings.from_env({})
    assert s.max_participants == 8 and s.xff_trusted_position == 1 and s.retention_days == 7
    assert s.ice_servers[0]["urls"]
    assert s.log_level == "INFO"


def test_values() -> None:
    env = {"MAX_PARTICIPANTS": "4", "ICE_SERVERS": "[]", "SIGN_IN_ORG": " acme "}
    s = Settings.from_env({**env, "GCLOUD_PROJECT": "p", "LOG_LEVEL": " debug"})
    assert (s.max_participants, s.ice_servers, s.sign_in_org, s.project_id) == (4, (), "acme", "p")
    assert s.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("env", "msg"),
    [
        ({"MAX_PARTICIPANTS": "many"}, "integer"),
        ({"MAX_PARTICIPANTS": "1"}, "at least 2"),
        ({"RETENTION_DAYS": "30"}, "at most 7"),
        ({"ICE_SERVERS": '{"urls": []}'}, "JSON list"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL must be one of"),
    ],
)
def test_bad_values(env: dict[str, str], msg: str) -> None:
    with pytest.raises(ValueError, match=msg):
        Settings.from_env(env)
