"""Analytics without identifiers: with a measurement id configured, nothing goes to Google before
the person agrees, and afterwards no request to it holds a meeting code, a meeting's title or
anyone's name.

Every request a page makes that is not to this machine is captured (Playwright routing; there is
no internet here) and answered locally: Google's gtag.js is served by a stand-in that turns the
commands it gets into collect hits the way gtag.js does, with its defaults (the page's address,
title and referrer) wherever the page did not override them (gtag_model.js). The last test runs
that same script the way the Firebase Analytics SDK did before (in the app's own page, with
defaults) and shows that the capture does see the meeting code then.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import Request, Route, expect

from tests.emulator.support.deadline import wait_for

from .conftest import PersonFactory
from .support import Person

MEASUREMENT_ID = "G-TEST12345"
MODEL = (Path(__file__).parent / "gtag_model.js").read_text(encoding="utf-8")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
TITLE = "Secret Board Meeting Q3"
ALLOWED_PAGES = {"/", "/m/:meeting", "/privacy", "/my-data", "/other"}


@dataclass
class Capture:
    """Every request of one browser context to anywhere but this machine."""

    requests: list[dict[str, Any]] = field(default_factory=list)

    @staticmethod
    def outside(url: str) -> bool:
        return (urllib.parse.urlsplit(url).hostname or "") not in LOCAL_HOSTS

    async def handle(self, route: Route, request: Request) -> None:
        host = urllib.parse.urlsplit(request.url).hostname or ""
        self.requests.append(
            {
                "url": request.url,
                "method": request.method,
                "body": request.post_data or "",
                "headers": await request.all_headers(),
                "frame": request.frame.url if request.frame else "",
            }
        )
        if host == "www.googletagmanager.com":
            await route.fulfill(status=200, content_type="text/javascript", body=MODEL)
        else:
            await route.fulfill(status=204, body="")

    def hits(self) -> list[dict[str, str]]:
        """The collect hits sent, as their query parameters."""
        return [
            dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(r["url"]).query))
            for r in self.requests
            if "/g/collect" in r["url"]
        ]

    def text(self) -> str:
        """Everything that left, decoded, for searching."""
        parts = []
        for r in self.requests:
            parts += [r["url"], urllib.parse.unquote_plus(r["url"]), r["body"]]
            parts += [f"{k}: {v}" for k, v in r["headers"].items()]
        return "\n".join(parts)


async def with_analytics(people: PersonFactory, label: str) -> tuple[Person, Capture]:
    """A person whose app has a measurement id, every outside request captured, signed in."""
    person = await people(label, sign_in=False)
    capture = Capture()
    await person.context.route(capture.outside, capture.handle)
    await person.context.add_init_script(f"window.__AVMEETS_MEASUREMENT_ID__ = {MEASUREMENT_ID!r};")
    await person.sign_in()
    return person, capture


def secrets_of(meeting_id: str, *persons: Person) -> list[str]:
    compact = meeting_id.replace("-", "")
    out = [meeting_id, compact, compact.upper(), TITLE, TITLE.replace(" ", "+")]
    for p in persons:
        out += [p.uid, p.email, p.name, urllib.parse.quote(p.email)]
    return out


async def test_nothing_before_consent_and_no_identifier_after(people: PersonFactory) -> None:
    alice, capture = await with_analytics(people, "alice")
    bob = await people("bob")
    banner = alice.page.get_by_role("region", name="May we count visits?")
    await expect(banner).to_be_visible()

    meeting_id = await alice.create_meeting(title=TITLE)
    await expect(banner).to_be_visible()  # still unanswered: nothing has been loaded
    assert capture.requests == [], capture.requests

    await banner.get_by_role("button", name="Allow counting", exact=True).click()
    await expect(banner).to_have_count(0)
    await alice.join_now()
    await bob.join(meeting_id)
    await alice.wait_connected(bob)
    await expect(alice.page).to_have_title(re.compile(TITLE))  # the app's own title has it
    await alice.leave()
    await alice.page.get_by_role("button", name="Home", exact=True).click()
    await alice.page.get_by_role("link", name="Privacy").first.click()
    await expect(alice.page.get_by_role("heading", name="Privacy", exact=True)).to_be_visible()

    def counted() -> bool:
        pages = {urllib.parse.urlsplit(h.get("dl", "")).path for h in capture.hits()}
        return {"/m/:meeting", "/", "/privacy"} <= pages

    await wait_for(counted, timeout=15.0, what="page views of the meeting and privacy pages")

    # What left: gtag.js, fetched by the analytics frame, and page-view hits naming routes only.
    assert {urllib.parse.urlsplit(r["url"]).hostname for r in capture.requests} == {
        "www.googletagmanager.com",
        "region1.google-analytics.com",
    }
    for request in capture.requests:
        assert urllib.parse.urlsplit(request["frame"]).path == "/analytics/frame.html", request
    for hit in capture.hits():
        assert hit["tid"] == MEASUREMENT_ID and hit["en"] == "page_view"
        path = urllib.parse.urlsplit(hit["dl"]).path
        assert path in ALLOWED_PAGES, hit
        assert hit["dt"].startswith("AVMeets: ") and "dr" not in hit, hit
    leaked = [s for s in secrets_of(meeting_id, alice, bob) if s and s in capture.text()]
    assert leaked == [], f"sent to Google: {leaked}"

    # What the app handed to gtag at all (the frame's dataLayer) holds no identifier either.
    frame = next(f for f in alice.page.frames if f.url.split("#")[0].endswith("/frame.html"))
    handed = await frame.evaluate("JSON.stringify(window.dataLayer)")
    assert not [s for s in secrets_of(meeting_id, alice, bob) if s and s in handed]

    # A reload remembers the answer: counting goes on without asking again.
    await alice.page.reload()
    await expect(alice.page.get_by_role("heading", name="Privacy", exact=True)).to_be_visible()
    await expect(banner).to_have_count(0)


async def test_no_thanks_means_nothing_is_ever_sent(people: PersonFactory) -> None:
    carol, capture = await with_analytics(people, "carol")
    banner = carol.page.get_by_role("region", name="May we count visits?")
    await banner.get_by_role("button", name="No, thanks", exact=True).click()
    meeting_id = await carol.create_meeting(title=TITLE)
    await carol.join_now()
    await carol.page.reload()
    await carol.wait_in_room()
    await expect(banner).to_have_count(0)
    assert capture.requests == [], capture.requests
    assert meeting_id

    # The privacy page changes the answer, and counting starts at once.
    await carol.page.goto(carol.web_url + "/privacy")
    switch = carol.page.get_by_label("Count my visits (page names only)", exact=True)
    await expect(switch).not_to_be_checked()
    await switch.check()
    await wait_for(lambda: bool(capture.hits()), timeout=15.0, what="the first counted page")
    assert [urllib.parse.urlsplit(h["dl"]).path for h in capture.hits()] == ["/privacy"]


async def test_the_capture_sees_a_leak_when_gtag_runs_in_the_app_page(
    people: PersonFactory,
) -> None:
    """The negative control: gtag.js in the meeting page with its defaults (the old way, through
    the Firebase Analytics SDK) sends the meeting code and title, and the capture catches it."""
    dave, capture = await with_analytics(people, "dave")
    await dave.page.get_by_role("button", name="No, thanks", exact=True).click()
    meeting_id = await dave.create_meeting(title=TITLE)
    await dave.join_now()
    await dave.page.evaluate(
        """(id) => {
            window.dataLayer = window.dataLayer || [];
            window.gtag = function () { window.dataLayer.push(arguments); };
            window.gtag("js", new Date());
            window.gtag("config", id);
            const s = document.createElement("script");
            s.src = "https://www.googletagmanager.com/gtag/js?id=" + id;
            document.head.appendChild(s);
        }""",
        MEASUREMENT_ID,
    )
    await wait_for(lambda: bool(capture.hits()), timeout=15.0, what="the leaky hit")
    leaked = [s for s in (meeting_id, TITLE) if s in capture.text()]
    assert leaked == [meeting_id, TITLE]
