"""The deploy's pure parts: settings files, the plan, prerequisite checks, the URI fix-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tools import google_ranges
from tools.deploy import __main__ as deploy
from tools.deploy import gcp
from tools.deploy.settings import DeploySettings, load_env, parse_dotenv

# --- settings ------------------------------------------------------------------------------------


def test_parse_dotenv_reads_the_cli_format() -> None:
    text = """
# a comment
FUNCTIONS_REGION=europe-west1
TURN_URLS="turn:turn.example.org:3478?transport=udp"
SINGLE='a b'
export LOG_LEVEL=DEBUG  # trailing comment
EMPTY=
"""
    assert parse_dotenv(text) == {
        "FUNCTIONS_REGION": "europe-west1",
        "TURN_URLS": "turn:turn.example.org:3478?transport=udp",
        "SINGLE": "a b",
        "LOG_LEVEL": "DEBUG",
        "EMPTY": "",
    }


def test_parse_dotenv_refuses_garbage() -> None:
    with pytest.raises(ValueError, match="KEY=VALUE"):
        parse_dotenv("just words")


def test_project_file_overrides_shared_defaults(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("FUNCTIONS_REGION=us-east1\nMAX_PARTICIPANTS=8\n")
    (tmp_path / ".env.prod-1").write_text("FUNCTIONS_REGION=europe-west1\n")
    assert load_env(tmp_path, "prod-1") == {
        "FUNCTIONS_REGION": "europe-west1",
        "MAX_PARTICIPANTS": "8",
    }
    assert load_env(tmp_path, "other")["FUNCTIONS_REGION"] == "us-east1"


def _settings(tmp_path: Path, text: str, project: str = "prod-1") -> DeploySettings:
    (tmp_path / f".env.{project}").write_text(text)
    return DeploySettings.load(project, tmp_path)


def test_one_region_for_functions_and_web(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "FUNCTIONS_REGION=europe-west1\nAPP_CHECK_SITE_KEY=k\n")
    assert settings.region == "europe-west1"
    assert settings.app_config() == {"functionsRegion": "europe-west1", "appCheckSiteKey": "k"}
    assert settings.service_account_email == "avmeets-functions@prod-1.iam.gserviceaccount.com"


def test_turn_needs_its_secret_only_when_configured(tmp_path: Path) -> None:
    assert not _settings(tmp_path, "").turn_configured
    assert _settings(tmp_path, "TURN_URLS=turn:t.example.org\n", "p2").turn_configured


# --- the plan ------------------------------------------------------------------------------------


def _names() -> list[str]:
    return [s.name for s in deploy.STEPS]


def test_plan_order() -> None:
    names = _names()
    for first, then in [
        ("preflight", "functions-venv"),
        ("functions-venv", "functions"),
        ("firestore", "functions"),  # indexes exist before the queries that need them run
        ("functions", "blocking-uri"),
        ("web-build", "web-config"),
        ("web-config", "hosting"),
    ]:
        assert names.index(first) < names.index(then), (first, then)


def test_dry_run_prints_every_step_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(deploy, "execute", lambda *a, **k: pytest.fail("dry run executed"))
    assert deploy.main(["--project", "prod-1", "--dry-run"]) == 0
    out = capsys.readouterr().out
    for step in deploy.STEPS:
        assert step.name in out
    assert "firebase deploy --only functions --project prod-1 --non-interactive" in out.replace(
        str(deploy.emulators.FIREBASE_BIN), "firebase"
    )


def test_help_describes_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        deploy.main(["--help"])
    out = capsys.readouterr().out
    assert "--project" in out and "--dry-run" in out and "blocking-uri" in out


def test_unknown_step_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert deploy.main(["--project", "p-1", "--only", "functions,nope"]) == 2


def test_local_problems_name_what_is_missing(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "GEOIP_CITY_DB=geoip/missing.mmdb\nAPP_CHECK_ENFORCE=1\n", "p3")
    problems = deploy.local_problems(settings, root=tmp_path)
    assert any("geoip/missing.mmdb" in p for p in problems)
    assert any("APP_CHECK_SITE_KEY" in p for p in problems)


def test_web_config_is_written_next_to_the_build(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "FUNCTIONS_REGION=asia-northeast1\n", "p4")
    dist = tmp_path / "dist"
    with pytest.raises(deploy.DeployError, match="web-build"):
        deploy.write_app_config(settings, dist)
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html>")
    path = deploy.write_app_config(settings, dist)
    assert path.name == "avmeets.json"
    assert '"functionsRegion": "asia-northeast1"' in path.read_text()


# --- prerequisite checks -------------------------------------------------------------------------


def test_billing() -> None:
    assert gcp.billing_problem({"billingEnabled": True}) is None
    assert "Blaze" in (gcp.billing_problem({"billingEnabled": False}) or "")
    assert "Blaze" in (gcp.billing_problem({}) or "")


def test_identity_platform() -> None:
    assert gcp.identity_platform_problem({"subtype": "IDENTITY_PLATFORM"}) is None
    assert "Upgrade" in (gcp.identity_platform_problem({"subtype": "FIREBASE_AUTH"}) or "")


def test_missing_apis() -> None:
    have = [a for a in gcp.REQUIRED_APIS if a != "eventarc.googleapis.com"]
    assert gcp.missing_apis(have) == ["eventarc.googleapis.com"]


def test_missing_roles() -> None:
    member = "serviceAccount:avmeets-functions@p.iam.gserviceaccount.com"
    policy = {
        "bindings": [
            {"role": "roles/datastore.user", "members": [member]},
            {"role": "roles/firebaseauth.admin", "members": ["user:x@example.com"]},
            {
                "role": "roles/run.invoker",
                "members": [member],
                "condition": {"expression": "false"},
            },
        ]
    }
    assert gcp.missing_roles(policy, member, gcp.RUNTIME_ROLES) == [
        "roles/firebaseauth.admin",
        "roles/eventarc.eventReceiver",
        "roles/run.invoker",
    ]


@pytest.mark.parametrize(
    ("region", "location", "warned"),
    [
        ("us-central1", "nam5", False),
        ("europe-west1", "nam5", True),
        ("europe-west1", "eur3", False),
        ("europe-west3", "europe-west3", False),
        ("us-central1", "europe-west3", True),
    ],
)
def test_region_against_firestore_location(region: str, location: str, warned: bool) -> None:
    assert (gcp.region_problem(region, location) is not None) is warned


# --- the blocking function's URI (firebase-tools#9997) -------------------------------------------

RUN_URI = "https://auth-callback-abc123-uc.a.run.app"
CF_URI = "https://us-central1-p.cloudfunctions.net/auth_callback"


def test_first_deploy_registration_is_fixed() -> None:
    blocking: dict[str, Any] = {
        "triggers": {"beforeSignIn": {"functionUri": CF_URI, "updateTime": "t"}},
        "forwardInboundCredentials": {"idToken": False},
    }
    fixed = gcp.blocking_config_fix(blocking, RUN_URI)
    assert fixed is not None
    assert fixed["triggers"]["beforeSignIn"]["functionUri"] == RUN_URI
    assert fixed["forwardInboundCredentials"] == {"idToken": False}
    assert blocking["triggers"]["beforeSignIn"]["functionUri"] == CF_URI  # input untouched


def test_already_run_app_needs_nothing() -> None:
    assert (
        gcp.blocking_config_fix({"triggers": {"beforeSignIn": {"functionUri": RUN_URI}}}, RUN_URI)
        is None
    )


def test_run_app_uri_required() -> None:
    assert gcp.run_app_uri_problem(RUN_URI) is None
    assert gcp.run_app_uri_problem(CF_URI) is not None
    assert gcp.run_app_uri_problem(None) is not None


class FakeApi:
    """Records the one write; answers with fixed data (no network in unit tests)."""

    def __init__(self, uri: str | None, registered: str) -> None:
        self.uris = {"auth_callback": uri, "auth_create": uri and uri.replace("callback", "create")}
        self.blocking = {
            "triggers": {
                "beforeSignIn": {"functionUri": registered},
                "beforeCreate": {"functionUri": registered.replace("callback", "create")},
            }
        }
        self.written: list[dict] = []

    def function_run_uri(self, region: str, name: str) -> str | None:
        assert region == "us-central1" and name in self.uris, (region, name)
        return self.uris[name]

    def blocking_config(self) -> dict:
        return self.blocking

    def set_blocking_config(self, blocking: dict) -> None:
        self.written.append(blocking)


def test_fix_blocking_uri_writes_once(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "", "p5")
    api = FakeApi(RUN_URI, CF_URI)
    assert "now calls" in deploy.fix_blocking_uri(settings, api)  # type: ignore[arg-type]
    [written] = api.written
    assert written["triggers"]["beforeSignIn"]["functionUri"] == RUN_URI
    assert written["triggers"]["beforeCreate"]["functionUri"] == RUN_URI.replace(
        "callback", "create"
    )
    api = FakeApi(RUN_URI, RUN_URI)
    assert "already" in deploy.fix_blocking_uri(settings, api)  # type: ignore[arg-type]
    assert api.written == []
    with pytest.raises(deploy.DeployError):
        deploy.fix_blocking_uri(settings, FakeApi(None, CF_URI))  # type: ignore[arg-type]


# --- the Google ranges refresher -----------------------------------------------------------------


def test_google_ranges_summary_keeps_date_and_prefixes() -> None:
    published = {
        "syncToken": "1",
        "creationTime": "2026-01-25T00:00:00",
        "prefixes": [{"ipv4Prefix": "8.8.8.0/24"}, {"ipv6Prefix": "2001:4860::/32"}, {}],
    }
    summary = google_ranges.summarise("https://example.invalid/goog.json", published)
    assert summary["creationTime"] == "2026-01-25T00:00:00"
    assert summary["prefixes"] == ["8.8.8.0/24", "2001:4860::/32"]


class FakeProject:
    """The answers of Google's APIs for a project that lacks everything it can lack."""

    def __init__(self, reachable: bool = True) -> None:
        self.reachable = reachable

    def check_credentials(self) -> None:
        if not self.reachable:
            raise gcp.GcpError("no Application Default Credentials")

    def billing_info(self) -> dict[str, Any]:
        return {"billingEnabled": False}

    def identity_config(self) -> dict[str, Any]:
        return {"subtype": "FIREBASE_AUTH"}

    def enabled_apis(self) -> list[str]:
        return ["firestore.googleapis.com"]

    def service_account_exists(self, email: str) -> bool:
        return False

    def secret_exists(self, name: str) -> bool:
        return False

    def firestore_location(self) -> str:
        return "eur3"


def test_preflight_names_every_missing_prerequisite(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "TURN_URLS=turn:t.example.org\n", "p6")
    problems, warnings = deploy.live_problems(settings, FakeProject())  # type: ignore[arg-type]
    text = "\n".join(problems)
    expected_names = ("Blaze", "Identity Platform", "eventarc.googleapis.com", "TURN_SECRET")
    for expected in (*expected_names, "avmeets-functions@p6"):
        assert expected in text, expected
    assert any("eur3" in w for w in warnings)


def test_preflight_without_credentials_stops_with_one_clear_message(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "", "p7")
    offline = FakeProject(reachable=False)
    problems, _ = deploy.live_problems(settings, offline)  # type: ignore[arg-type]
    assert len(problems) == 1 and "Application Default Credentials" in problems[0]
