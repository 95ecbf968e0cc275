"""The live side of the deploy: prerequisites and the blocking function's URI, over Google's APIs.

Each check is a pure function from an API response to a problem (a sentence the operator can act
on) or None, unit-tested in tests/unit/test_deploy.py; :class:`Gcp` only fetches. Credentials
are the operator's Application Default Credentials (``gcloud auth application-default login``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

#: APIs a deploy and the running app use (Cloud Functions 2nd gen runs on Cloud Run and builds
#: with Cloud Build; scheduled functions need Cloud Scheduler; Firestore triggers Eventarc).
REQUIRED_APIS: Final = (
    "cloudfunctions.googleapis.com",
    "run.googleapis.com",
    "cloudbuild.googleapis.com",
    "artifactregistry.googleapis.com",
    "eventarc.googleapis.com",
    "pubsub.googleapis.com",
    "cloudscheduler.googleapis.com",
    "firestore.googleapis.com",
    "identitytoolkit.googleapis.com",
    "secretmanager.googleapis.com",
    "firebaserules.googleapis.com",
    "firebasehosting.googleapis.com",
    "cloudbilling.googleapis.com",
)
APP_CHECK_API: Final = "firebaseappcheck.googleapis.com"

#: Exactly what the functions' runtime service account needs (docs/deploy.md explains each).
RUNTIME_ROLES: Final = (
    "roles/datastore.user",  # Firestore reads and writes
    "roles/firebaseauth.admin",  # the purge lists and deletes idle Auth accounts
    "roles/eventarc.eventReceiver",  # receive the Firestore events of on_signal
    "roles/run.invoker",  # Eventarc calls on_signal with this account's identity
)
#: Functions whose URI Identity Platform must call (main.py's blocking functions), by event.
BLOCKING_FUNCTIONS: Final = {"beforeSignIn": "auth_callback", "beforeCreate": "auth_create"}
BLOCKING_FUNCTION: Final = BLOCKING_FUNCTIONS["beforeSignIn"]
BLOCKING_EVENT_KEY: Final = "beforeSignIn"


def billing_problem(info: Mapping[str, Any]) -> str | None:
    if info.get("billingEnabled"):
        return None
    return (
        "Billing is not enabled: Cloud Functions need the Blaze (pay-as-you-go) plan. Upgrade in "
        "the Firebase console (Usage and billing -> Details & settings -> Modify plan)."
    )


def identity_platform_problem(config: Mapping[str, Any]) -> str | None:
    if config.get("subtype") == "IDENTITY_PLATFORM":
        return None
    return (
        "Firebase Authentication is not upgraded to Identity Platform, which blocking functions "
        "(auth_callback) need: Firebase console -> Authentication -> Settings -> Upgrade."
    )


def missing_apis(enabled: Iterable[str], wanted: Sequence[str] = REQUIRED_APIS) -> list[str]:
    have = set(enabled)
    return [api for api in wanted if api not in have]


def missing_roles(policy: Mapping[str, Any], member: str, wanted: Sequence[str]) -> list[str]:
    """Roles of ``wanted`` that the project IAM policy does not grant ``member``."""
    granted = {
        binding.get("role")
        for binding in policy.get("bindings", [])
        if member in binding.get("members", []) and not binding.get("condition")
    }
    if "roles/owner" in granted or "roles/editor" in granted:
        # Broad roles cover these, but they are more than the functions need: say so elsewhere.
        return []
    return [role for role in wanted if role not in granted]


_MULTI_REGIONS: Final = {"nam5": "us-", "nam7": "us-", "eur3": "europe-"}


def region_problem(functions_region: str, firestore_location: str) -> str | None:
    """A warning when the functions run far from the Firestore database (each call pays it)."""
    location = firestore_location.lower()
    if location in _MULTI_REGIONS:
        if functions_region.startswith(_MULTI_REGIONS[location]):
            return None
    elif location == functions_region:
        return None
    return (
        f"The functions run in {functions_region} but Firestore is in {firestore_location}: "
        "every read and write crosses regions. Set FUNCTIONS_REGION in functions/.env.<project> "
        "to a region of the database's location (e.g. us-central1 for nam5, europe-west1 for "
        "eur3)."
    )


def run_app_uri_problem(uri: str | None, function: str = BLOCKING_FUNCTION) -> str | None:
    if uri and ".run.app" in uri:
        return None
    return f"{function} has no run.app URI (got {uri!r}); was it deployed?"


def blocking_config_fix(
    blocking: Mapping[str, Any], run_uri: str, event_key: str = BLOCKING_EVENT_KEY
) -> dict[str, Any] | None:
    """The ``blockingFunctions`` config to write so Identity Platform calls the run.app URI.

    On a function's first creation the pinned Firebase CLI registers the cloudfunctions.net URL
    (``endpoint.uri = resultFunction.url`` in lib/deploy/functions/release/fabricator.js), but
    the Python SDK accepts only blocking tokens whose audience contains "run.app"
    (firebase_functions/private/token_verifier.py); firebase/firebase-tools#9997. Returns None
    when the registered URI is already the run.app one.
    """
    triggers = dict(blocking.get("triggers") or {})
    current = (triggers.get(event_key) or {}).get("functionUri")
    if current == run_uri:
        return None
    triggers[event_key] = {**(triggers.get(event_key) or {}), "functionUri": run_uri}
    return {**blocking, "triggers": triggers}


@dataclass
class Gcp:
    """Thin REST client with Application Default Credentials."""

    project: str
    session: Any = None

    def _session(self) -> Any:
        if self.session is None:
            import google.auth
            import google.auth.exceptions
            from google.auth.transport.requests import AuthorizedSession

            try:
                credentials, _ = google.auth.default(
                    scopes=["https://www.googleapis.com/auth/cloud-platform"],
                    quota_project_id=self.project,
                )
            except google.auth.exceptions.DefaultCredentialsError as error:
                raise GcpError(
                    "no Application Default Credentials: run "
                    f"`gcloud auth application-default login` ({error})"
                ) from None
            self.session = AuthorizedSession(credentials)
        return self.session

    def check_credentials(self) -> None:
        """Raise GcpError unless credentials exist and Google answers (one cheap call)."""
        self.get(f"https://cloudresourcemanager.googleapis.com/v1/projects/{self.project}")

    def _send(self, method: str, url: str, **kwargs: Any) -> Any:
        import google.auth.exceptions
        import requests

        try:
            return self._session().request(method, url, timeout=60, **kwargs)
        except (requests.RequestException, google.auth.exceptions.GoogleAuthError) as error:
            raise GcpError(f"{method} {url}: {type(error).__name__}: {error}") from None

    def get(self, url: str) -> dict[str, Any]:
        response = self._send("GET", url)
        if response.status_code >= 400:
            raise GcpError(f"GET {url}: HTTP {response.status_code}: {response.text[:300]}")
        return dict(response.json())

    def request(self, method: str, url: str, body: Mapping[str, Any]) -> dict[str, Any]:
        response = self._send(method, url, json=dict(body))
        if response.status_code >= 400:
            raise GcpError(f"{method} {url}: HTTP {response.status_code}: {response.text[:300]}")
        return dict(response.json())

    # --- fetches ------------------------------------------------------------------------

    def billing_info(self) -> dict[str, Any]:
        return self.get(
            f"https://cloudbilling.googleapis.com/v1/projects/{self.project}/billingInfo"
        )

    def identity_config(self) -> dict[str, Any]:
        return self.get(
            f"https://identitytoolkit.googleapis.com/admin/v2/projects/{self.project}/config"
        )

    def enabled_apis(self) -> list[str]:
        names: list[str] = []
        url = (
            f"https://serviceusage.googleapis.com/v1/projects/{self.project}/services"
            "?filter=state:ENABLED&pageSize=200"
        )
        token = ""
        while True:
            page = self.get(url + (f"&pageToken={token}" if token else ""))
            names += [s["config"]["name"] for s in page.get("services", [])]
            token = page.get("nextPageToken", "")
            if not token:
                return names

    def iam_policy(self) -> dict[str, Any]:
        return self.request(
            "POST",
            f"https://cloudresourcemanager.googleapis.com/v1/projects/{self.project}:getIamPolicy",
            {},
        )

    def service_account_exists(self, email: str) -> bool:
        try:
            self.get(
                f"https://iam.googleapis.com/v1/projects/{self.project}/serviceAccounts/{email}"
            )
        except GcpError:
            return False
        return True

    def secret_exists(self, name: str) -> bool:
        try:
            self.get(
                f"https://secretmanager.googleapis.com/v1/projects/{self.project}/secrets/{name}"
            )
        except GcpError:
            return False
        return True

    def firestore_location(self) -> str:
        db = self.get(
            f"https://firestore.googleapis.com/v1/projects/{self.project}/databases/(default)"
        )
        return str(db.get("locationId", ""))

    def function_run_uri(self, region: str, name: str) -> str | None:
        fn = self.get(
            f"https://cloudfunctions.googleapis.com/v2/projects/{self.project}/locations/{region}"
            f"/functions/{name}"
        )
        uri = (fn.get("serviceConfig") or {}).get("uri")
        return str(uri) if uri else None

    def blocking_config(self) -> dict[str, Any]:
        return dict(self.identity_config().get("blockingFunctions") or {})

    def set_blocking_config(self, blocking: Mapping[str, Any]) -> None:
        self.request(
            "PATCH",
            f"https://identitytoolkit.googleapis.com/admin/v2/projects/{self.project}/config"
            "?updateMask=blockingFunctions",
            {"blockingFunctions": dict(blocking)},
        )


class GcpError(RuntimeError):
    """A Google API answered with an error."""
