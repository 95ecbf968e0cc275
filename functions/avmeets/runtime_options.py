"""Where and how each function runs: region, CPU, memory, concurrency, instances, identity.

``functions/main.py`` reads these once at import, which happens twice: when the Firebase CLI
discovers the functions (it passes ``functions/.env`` and ``functions/.env.<project>`` to the
discovery process, so these values are deploy-time settings) and on every cold start. Every
value has a default chosen for AVMeets' load; an operator overrides one with an environment
variable of the form ``<FUNCTION>_<FIELD>`` in ``functions/.env.<project>``, e.g.
``AUTH_CALLBACK_MIN_INSTANCES=0`` or ``JOIN_MEETING_CONCURRENCY=40`` (docs/deploy.md).

Pure: :func:`from_env` takes a mapping and raises :class:`ValueError` with the variable's name
on a bad value, so a typo stops the deploy at discovery instead of deploying something else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Final

#: Cloud Run functions regions (firebase_functions.options.SupportedRegion and newer ones):
#: a region is checked for shape, not membership, so a new region needs no code change.
_REGION = re.compile(r"^[a-z]+-[a-z]+\d+$")
DEFAULT_REGION: Final = "us-central1"
#: The dedicated runtime identity (docs/deploy.md, "Service account"). The trailing "@" is
#: completed by the Firebase CLI to ``<name>@<project>.iam.gserviceaccount.com``.
DEFAULT_SERVICE_ACCOUNT: Final = "avmeets-functions@"
#: Memory sizes Cloud Run functions accept, in MiB (firebase_functions.options.MemoryOption).
MEMORY_MIB: Final = (128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768)
#: vCPU counts accepted besides "gcf_gen1" (the memory-derived fraction of 1st gen).
CPUS: Final = (1, 2, 4, 6, 8)
#: Cloud Run: more than one request at a time on one instance needs at least one full vCPU.
MIN_CPU_FOR_CONCURRENCY: Final = 1
#: Request threads of one instance's gunicorn (functions-framework reads THREADS; without it,
#: 4 per CPU). Requests beyond it queue inside the instance instead of scaling out, so no
#: function's concurrency may exceed it. functions/.env sets it for every function.
DEFAULT_THREADS: Final = 8
#: The runtime settings functions/.env holds besides the Functions SDK params of avmeets/config.py,
#: with the value it must give them: functions-framework itself reads THREADS, so the value the
#: instances run with and the one ``from_env`` checks concurrency against must be the same
#: (docs/deploy.md, sections 2 and 4). tests/unit/test_config_params.py holds the file to these.
FUNCTIONS_ENV: Final[Mapping[str, str]] = {"THREADS": str(DEFAULT_THREADS)}


@dataclass(frozen=True)
class Resources:
    """What one function's instances get."""

    cpu: int
    memory_mib: int
    concurrency: int
    min_instances: int
    max_instances: int
    timeout_sec: int | None = None

    def check(self, name: str, threads: int = DEFAULT_THREADS) -> None:
        prefix = name.upper()
        if self.cpu not in CPUS:
            raise ValueError(f"{prefix}_CPU must be one of {CPUS}, not {self.cpu}")
        if self.memory_mib not in MEMORY_MIB:
            raise ValueError(f"{prefix}_MEMORY_MIB must be one of {MEMORY_MIB}")
        if self.memory_mib > 4096 and self.cpu < 2:
            raise ValueError(f"{prefix}_MEMORY_MIB above 4096 needs {prefix}_CPU of at least 2")
        if not 1 <= self.concurrency <= 1000:
            raise ValueError(f"{prefix}_CONCURRENCY must be between 1 and 1000")
        if self.concurrency > 1 and self.cpu < MIN_CPU_FOR_CONCURRENCY:
            raise ValueError(f"{prefix}_CONCURRENCY above 1 needs {prefix}_CPU of at least 1")
        if self.concurrency > threads:
            raise ValueError(
                f"{prefix}_CONCURRENCY ({self.concurrency}) exceeds THREADS ({threads}), the "
                "request threads of an instance: raise THREADS in functions/.env too"
            )
        if self.min_instances < 0 or self.max_instances < 1:
            raise ValueError(f"{prefix}_MIN_INSTANCES >= 0 and {prefix}_MAX_INSTANCES >= 1")
        if self.min_instances > self.max_instances:
            raise ValueError(f"{prefix}_MIN_INSTANCES exceeds {prefix}_MAX_INSTANCES")


# Why these defaults (docs/deploy.md, "Function resources", has the costs):
# * Importing main takes about 0.5 s of a full core; at the SDK's default 1/6 vCPU a cold start
#   takes seconds, so every function gets one full vCPU.
# * The callables mostly wait on Firestore, so one instance serves several requests at once
#   (concurrency > 1, which Cloud Run allows only with a full vCPU), as many as it has request
#   threads (THREADS). Password hashing (create) is CPU-bound, so it takes fewer at once.
# * auth_callback (before sign-in) and auth_create (before an account is created) must answer
#   Identity Platform within 7 s or the sign-in fails: one instance of each is kept warm
#   (min_instances=1), which costs money while idle.
# * The purge pages through up to a week of CDRs: more memory and the 9-minute limit.
DEFAULTS: Final[Mapping[str, Resources]] = {
    "auth_callback": Resources(cpu=1, memory_mib=512, concurrency=8, min_instances=1,
                               max_instances=20),
    "auth_create": Resources(cpu=1, memory_mib=512, concurrency=8, min_instances=1,
                             max_instances=20),
    "create_meeting": Resources(cpu=1, memory_mib=512, concurrency=4, min_instances=0,
                                max_instances=20),
    "join_meeting": Resources(cpu=1, memory_mib=512, concurrency=8, min_instances=0,
                              max_instances=40),
    "meeting_info": Resources(cpu=1, memory_mib=512, concurrency=8, min_instances=0,
                              max_instances=20),
    "leave_meeting": Resources(cpu=1, memory_mib=512, concurrency=8, min_instances=0,
                               max_instances=20),
    "knock": Resources(cpu=1, memory_mib=512, concurrency=8, min_instances=0,
                       max_instances=20),
    "host_action": Resources(cpu=1, memory_mib=512, concurrency=8, min_instances=0,
                             max_instances=10),
    "rename": Resources(cpu=1, memory_mib=512, concurrency=8, min_instances=0,
                        max_instances=10),
    "heartbeat": Resources(cpu=1, memory_mib=512, concurrency=8, min_instances=0,
                           max_instances=40),
    "report_connection": Resources(cpu=1, memory_mib=512, concurrency=8, min_instances=0,
                                   max_instances=40),
    "archive": Resources(cpu=1, memory_mib=512, concurrency=4, min_instances=0,
                         max_instances=10),
    "upload_object": Resources(cpu=1, memory_mib=512, concurrency=4, min_instances=0,
                               max_instances=10),
    "org_admin": Resources(cpu=1, memory_mib=512, concurrency=4, min_instances=0,
                           max_instances=5),
    "my_data": Resources(cpu=1, memory_mib=512, concurrency=4, min_instances=0,
                         max_instances=10),
    "delete_me": Resources(cpu=1, memory_mib=512, concurrency=4, min_instances=0,
                           max_instances=10),
    "on_signal": Resources(cpu=1, memory_mib=512, concurrency=8, min_instances=0,
                           max_instances=40),
    "sweep": Resources(cpu=1, memory_mib=512, concurrency=1, min_instances=0, max_instances=1),
    "purge": Resources(cpu=1, memory_mib=1024, concurrency=1, min_instances=0, max_instances=1,
                       timeout_sec=540),
}  # fmt: skip

_FIELDS: Final = {
    "CPU": "cpu",
    "MEMORY_MIB": "memory_mib",
    "CONCURRENCY": "concurrency",
    "MIN_INSTANCES": "min_instances",
    "MAX_INSTANCES": "max_instances",
    "TIMEOUT_SEC": "timeout_sec",
}


@dataclass(frozen=True)
class RuntimeOptions:
    """Deploy-time settings of the whole codebase."""

    region: str
    service_account: str | None
    resources: Mapping[str, Resources]
    #: Callables refuse requests without a valid App Check token (APP_CHECK_ENFORCE=1).
    enforce_app_check: bool
    #: TURN is configured (TURN_URLS set): only then is the TURN_SECRET secret declared, so a
    #: deploy without TURN never asks for a secret it does not use.
    turn_configured: bool

    def for_function(self, name: str) -> Resources:
        return self.resources[name]


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, not {raw!r}") from None


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise ValueError(f"{name} must be 1 or 0, not {raw!r}")


def region_from_env(env: Mapping[str, str]) -> str:
    """FUNCTIONS_REGION: the one region of the functions, which the web app reads too."""
    region = env.get("FUNCTIONS_REGION", "").strip() or DEFAULT_REGION
    if not _REGION.match(region):
        raise ValueError(f"FUNCTIONS_REGION must look like 'europe-west1', not {region!r}")
    return region


def from_env(env: Mapping[str, str]) -> RuntimeOptions:
    """The options for this environment; ValueError names the variable that is wrong."""
    resources: dict[str, Resources] = {}
    threads = _int(env, "THREADS", DEFAULT_THREADS)
    for name, default in DEFAULTS.items():
        overrides: dict[str, int] = {}
        for suffix, attr in _FIELDS.items():
            variable = f"{name.upper()}_{suffix}"
            if env.get(variable, "").strip():
                overrides[attr] = _int(env, variable, 0)
        chosen = replace(default, **overrides)
        chosen.check(name, threads)
        resources[name] = chosen
    account = env.get("FUNCTIONS_SERVICE_ACCOUNT", "").strip()
    if account.lower() == "default":
        service_account: str | None = None  # the project's default compute service account
    else:
        service_account = account or DEFAULT_SERVICE_ACCOUNT
        if "@" not in service_account:
            raise ValueError(
                "FUNCTIONS_SERVICE_ACCOUNT must be 'name@', a full service account email, "
                f"or 'default', not {service_account!r}"
            )
    return RuntimeOptions(
        region=region_from_env(env),
        service_account=service_account,
        resources=resources,
        enforce_app_check=_flag(env, "APP_CHECK_ENFORCE"),
        turn_configured=bool(env.get("TURN_URLS", "").strip()),
    )


def sdk_options(runtime: RuntimeOptions, name: str) -> dict[str, object]:
    """Keyword arguments for the Functions SDK decorator of function ``name``."""
    from firebase_functions import options as sdk  # the SDK only where main.py needs it

    chosen = runtime.for_function(name)
    kwargs: dict[str, object] = {
        "cpu": chosen.cpu,
        "memory": sdk.MemoryOption(chosen.memory_mib),
        "min_instances": chosen.min_instances,
        "max_instances": chosen.max_instances,
    }
    if chosen.timeout_sec is not None:
        kwargs["timeout_sec"] = chosen.timeout_sec
    if name not in ("sweep", "purge"):  # scheduled functions take one request at a time
        kwargs["concurrency"] = chosen.concurrency
    return kwargs


def global_options(runtime: RuntimeOptions) -> dict[str, object]:
    """Keyword arguments for ``options.set_global_options``: region and identity."""
    kwargs: dict[str, object] = {"region": runtime.region}
    if runtime.service_account is not None:
        kwargs["service_account"] = runtime.service_account
    return kwargs
