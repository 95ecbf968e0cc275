"""Driving the AVMeets web app in Debian's Chromium with Playwright: one `Person` per participant.

Each person is a separate browser context (own storage, own fake camera and microphone) of one
Chromium. The app is told where the emulators listen (window.__AVMEETS_EMULATORS__) and to keep
WebRTC on 127.0.0.1 (localStorage "avmeets:loopback-only"), both honoured in emulator mode only.
Waits poll against a deadline (Playwright's wait_for_* and expect), never bare sleeps.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Page, expect

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DIST = ROOT / "web" / "dist"
#: axe-core, a dev dependency of web/ (installed by `npm ci` there, as the browser session does).
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
#: The rules axe runs: WCAG 2.0, 2.1 and 2.2, levels A and AA, and its best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
#: What fails a test: any violation of these impacts, and these rules at any impact.
AXE_FAILING_IMPACTS = ("serious", "critical")
AXE_ALWAYS_FAILING = ("landmark-one-main",)
SCREENSHOTS = HERE / "screenshots"

CHROMIUM = os.environ.get("AVMEETS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # Chromium refuses to run as root with its sandbox
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-gpu",
    "--disable-quic",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    # Only loopback may be used: let WebRTC gather 127.0.0.1 candidates, and show real addresses
    # (not mDNS names) so the app's loopback filter can keep exactly those.
    "--allow-loopback-in-peer-connection",
    "--disable-features=WebRtcHideLocalIpsWithMdns,MediaRouter,OptimizationHints,Translate",
    "--autoplay-policy=no-user-gesture-required",
]

# Deadlines (polled, never slept). Generous: CI shares two cores with the emulators and Chromium.
CONNECT_TIMEOUT_MS = 60_000
MEDIA_TIMEOUT_MS = 45_000
MESSAGE_TIMEOUT_MS = 30_000
EXPECT_TIMEOUT_MS = 15_000

#: Console errors that are not the app's: the Auth emulator does not implement the reCAPTCHA
#: config endpoint the SDK asks for before phone sign-in (HTTP 501).
#: And report_connection's documented NOT_FOUND (HTTP 404) while the signal trigger has not yet
#: made the leg from the offer: the app repeats the report (docs/protocol.md, report_connection).
BENIGN_CONSOLE = (
    re.compile(r"/recaptchaConfig\?"),
    re.compile(r"status of 404 .*/us-central1/report_connection\)$"),
    # The Firestore SDK's goodbye to a write stream the server has already closed: every write
    # the rules refuse closes the stream (the refusal reaches the app as the write's own
    # permission-denied, which it handles: a heartbeat or a signal after a removal or the end),
    # and the SDK then sends a TYPE=terminate the emulator sometimes no longer knows (400).
    # Reproduced with 40 refused writes from one page: 2 such 400s, nothing else in the console.
    re.compile(r"status of 400 .*\.Firestore/Write/channel\?\S*&TYPE=terminate&"),
)
#: Known server-side failures, reported as warnings rather than failing the browser tests: the
#: functions emulator dropping a request ("Request to function failed: Error: socket hang up" in
#: its log: no response, so no CORS headers either) of a call the app repeats on a failed fetch
#: (web/src/core/api/policies.ts; heartbeat: the next beat). A dropped call the app does not
#: repeat (create_meeting, knock, archive) fails the test, and so does every HTTP 500 (INTERNAL)
#: the server answers: it never sends one on purpose (docs/protocol.md). tools/
#: emulator_keepalive.cjs removed the cause of the drops seen so far; this stays for the rest.
_REPEATED_CALLS = (
    "report_connection|heartbeat|meeting_info|host_action|my_data|delete_me|leave_meeting"
    "|join_meeting"
)
KNOWN_SERVER_ERRORS = (
    # Answers the protocol documents and the client handles (docs/protocol.md,
    # report_connection): 404 NOT_FOUND while the signal trigger has not seen the offer yet
    # (repeated by the retry policy), 400 FAILED_PRECONDITION leg-ended after the other side
    # ended the leg. Chromium logs every 4xx of a fetch.
    re.compile(r"status of 40[04] .*/us-central1/report_connection\)$"),
    re.compile(rf"^Access to fetch at '[^']*/us-central1/({_REPEATED_CALLS})' .*CORS policy"),
    re.compile(rf"net::ERR_FAILED \(http://[^)]*/us-central1/({_REPEATED_CALLS})\)$"),
)


#: A connection's safety code: the two device codes of four words (web/src/core/meeting/safety.ts).
SAFETY_CODE = re.compile(r"^[a-z]+( [a-z]+){3} · [a-z]+( [a-z]+){3}$")


@dataclass
class Emulators:
    """host:port of each emulator the app talks to."""

    auth: str
    firestore: str
    functions: str

    def init_script(self, *, loopback_only: bool = True) -> str:
        """The app's emulator addresses; with ``loopback_only`` (all tests but the production
        ICE test) the app keeps WebRTC on 127.0.0.1."""
        addresses = json.dumps(
            {"auth": self.auth, "firestore": self.firestore, "functions": self.functions}
        )
        loopback = (
            "try { localStorage.setItem('avmeets:loopback-only', '1'); } catch (e) {}"
            if loopback_only
            else ""
        )
        return f"window.__AVMEETS_EMULATORS__ = {addresses};{loopback}"


#: `Date` as a device clock off by %d ms: `new Date()`, `Date()` and `Date.now()` say so, dates
#: made from a time stay as they are.
_DEVICE_CLOCK_OFF = """(() => {
    const off = %d, Real = Date;
    const Device = function (...args) {
        if (!new.target) return new Real(Real.now() + off).toString();
        return args.length ? new Real(...args) : new Real(Real.now() + off);
    };
    Device.prototype = Real.prototype;
    Device.now = () => Real.now() + off;
    Device.parse = Real.parse;
    Device.UTC = Real.UTC;
    globalThis.Date = Device;
})();"""


#: How far the page's clock is from the machine's, in ms.
_CLOCK_OFF = "() => Date.now() - performance.timeOrigin - performance.now()"


def screenshot_path(test_name: str, label: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{test_name}-{label}")
    return SCREENSHOTS / f"{safe}.png"


#: What the app is told, as HTTP errors in the console, once a host put it out: a removed or
#: denied person (403: knock-required, denied), or the meeting ended (400: meeting-ended); a
#: connection report already under way when that happened is refused (403: no longer in the
#: meeting, docs/protocol.md section 5).
PUT_OUT = r"status of 40[03] .*/(join_meeting|heartbeat|knock|report_connection)\)$"

#: Installed by Person.watch_links: each connection the meeting drops from then on, keyed by the
#: other person's uid, with the time (Date.now(): the machine's clock in every page, so pages
#: compare) and the link's state just before; the link itself is kept, because the app sets its
#: closing reason just after it leaves the meeting's map of peers.
_WATCH_LINKS = """() => {
    const meeting = window.__avmeets.currentView().meeting.meeting;
    window.__droppedLinks = {};
    window.__meetingEndedAt = null;
    let before = new Map(meeting.peers.peek());
    meeting.peers.subscribe((peers) => {
        const now = Date.now();
        for (const [uid, link] of before) {
            if (!peers.has(uid) && !window.__droppedLinks[uid]) {
                window.__droppedLinks[uid] = { at: now, before: link.state, link };
            }
        }
        before = new Map(peers);
    });
    meeting.on("ended", () => (window.__meetingEndedAt = Date.now()));
}"""


@dataclass
class Person:
    label: str
    context: BrowserContext
    page: Page
    web_url: str
    test_name: str
    uid: str = ""
    email: str = ""
    console_errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    allowed_console: list[re.Pattern[str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.label.capitalize()

    # ------------------------------------------------------------------------ lifecycle

    @classmethod
    async def create(
        cls,
        browser: Browser,
        label: str,
        *,
        web_url: str,
        emulators: Emulators,
        test_name: str,
        loopback_only: bool = True,
    ) -> Person:
        context = await browser.new_context(
            viewport={"width": 1280, "height": 800}, permissions=["camera", "microphone"]
        )
        await context.add_init_script(emulators.init_script(loopback_only=loopback_only))
        page = await context.new_page()
        person = cls(label=label, context=context, page=page, web_url=web_url, test_name=test_name)
        page.on("console", person._on_console)
        page.on("pageerror", lambda error: person.console_errors.append(f"pageerror: {error}"))
        return person

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        line = f"{message.text} ({message.location.get('url', '')})"
        if any(p.search(line) for p in (*BENIGN_CONSOLE, *self.allowed_console)):
            return
        if any(p.search(line) for p in KNOWN_SERVER_ERRORS):
            self.server_errors.append(line)
            return
        self.console_errors.append(line)

    def allow_console_error(self, pattern: str) -> None:
        """An error the test provokes on purpose (e.g. the HTTP 403 of a wrong password)."""
        self.allowed_console.append(re.compile(pattern))

    async def screenshot(self, what: str) -> Path:
        path = screenshot_path(self.test_name, f"{self.label}-{what}")
        await self.page.screenshot(path=str(path))
        return path

    async def set_device_clock_off(self, hours: float) -> None:
        """This browser's clock (`Date`) is `hours` off from now on (a dual-boot machine keeping
        local time in its hardware clock); the machine's and the server's are not. The page,
        signed in, loads again with it."""
        await self.context.add_init_script(_DEVICE_CLOCK_OFF % round(hours * 3600_000))
        await self.page.reload()
        await expect(self.page.get_by_role("heading", name="Start a meeting")).to_be_visible()
        off = await self.page.evaluate(_CLOCK_OFF)
        assert abs(off - hours * 3600_000) < 60_000, f"the device clock is {off} ms off"

    async def close(self) -> None:
        await self.context.close()

    # ------------------------------------------------------------------------ accessibility

    async def check_accessibility(self, screen: str, *, within: str | None = None) -> None:
        """Run axe-core (WCAG 2.x A/AA and best practices) on the page as it is now; fail on
        any serious or critical violation (and on a missing `<main>`), listing each one.

        `within` (a CSS selector) checks only that part: an open popup menu, which covers what
        is under it on purpose (the page under it is checked without the menu)."""
        if not AXE.is_file():
            raise AssertionError(f"{AXE} is missing: run `npm ci` in web/")
        page = self.page
        if not await page.evaluate("() => typeof window.axe === 'object'"):
            await page.add_script_tag(path=str(AXE))
        violations = await page.evaluate(
            """async ([tags, within]) => {
                const context = within ? { include: [within] } : document;
                const result = await window.axe.run(context, {
                    runOnly: { type: "tag", values: tags }, resultTypes: ["violations"],
                });
                return result.violations.map((v) => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map((n) => ({
                        target: n.target.join(" "), summary: n.failureSummary || "",
                        impact: n.impact,
                    })),
                }));
            }""",
            [AXE_TAGS, within],
        )
        problems = accessibility_problems(violations)
        if problems:
            await self.screenshot(f"axe-{screen}")
            raise AssertionError(
                f"{self.label}: accessibility violations on {screen!r}:\n" + "\n".join(problems)
            )

    # -------------------------------------------------------------------------- sign-in

    async def sign_in(self, domain: str = "example.com") -> str:
        """Google sign-in through the app's emulator test hook (the popup needs gapi online),
        with an address at ``domain`` (an organisation's, for its members)."""
        self.email = f"{self.label}.{secrets.token_hex(3)}@{domain}"
        await self.page.goto(self.web_url + "/")
        await self.page.wait_for_function("() => !!window.__avmeets")
        self.uid = await self.page.evaluate(
            "([name, email]) => window.__avmeets.signIn(name, email)", [self.name, self.email]
        )
        await expect(self.page.get_by_role("heading", name="Start a meeting")).to_be_visible()
        return self.uid

    # ------------------------------------------------------------------------ meetings

    async def create_meeting(
        self, title: str | None = None, password: str | None = None, *, waiting_room: bool = False
    ) -> str:
        """Create a meeting from the home page; ends in the lobby of the new meeting.

        Without a waiting room unless asked: tests of other features let people straight in
        (test_host_controls.py is the waiting room's test).
        """
        page = self.page
        if title:
            await page.get_by_label("Title (optional)", exact=True).fill(title)
        if password:
            await page.get_by_label("Password (optional)", exact=True).fill(password)
        await page.get_by_label("Waiting room", exact=True).set_checked(waiting_room)
        await page.get_by_role("button", name="Create meeting", exact=True).click()
        await page.wait_for_url(re.compile(r"/m/[a-z]{3}-[a-z]{4}-[a-z]{3}$"))
        return page.url.rsplit("/", 1)[1]

    async def join_from_home(self, code: str) -> None:
        await self.page.get_by_label("Meeting code or link", exact=True).fill(code)
        await self.page.get_by_role("button", name="Join", exact=True).click()

    async def open_link(self, meeting_id: str) -> None:
        await self.page.goto(f"{self.web_url}/m/{meeting_id}")

    async def join_now(self) -> None:
        """Press "Join now" in the lobby and wait for the room."""
        button = self.page.get_by_role("button", name="Join now", exact=True)
        await expect(button).to_be_enabled()
        await button.click()
        await self.wait_in_room()

    async def wait_in_room(self) -> None:
        await expect(
            self.page.get_by_role("button", name="Leave the meeting", exact=True)
        ).to_be_visible(timeout=CONNECT_TIMEOUT_MS)

    async def leave(self) -> None:
        """Press Leave. A host or co-host with others in the meeting is asked first (just leave,
        or end it for everyone) and just leaves; anyone else is out at once."""
        await self.page.get_by_role("button", name="Leave the meeting", exact=True).click()
        question = self.page.get_by_role("dialog", name="Leave the meeting?")
        left = self.page.get_by_role("button", name="Home", exact=True)
        await expect(question.or_(left)).to_be_visible(timeout=CONNECT_TIMEOUT_MS)
        if await question.is_visible():
            await question.get_by_role("button", name="Just leave", exact=True).click()

    async def join(self, meeting_id: str) -> None:
        await self.join_from_home(meeting_id)
        await self.join_now()

    def tile(self, uid: str) -> Any:
        return self.page.locator(f'.tile[data-uid="{uid}"]')

    async def wait_connected(
        self, *others: Person | str, timeout: int = CONNECT_TIMEOUT_MS
    ) -> None:
        for other in others:
            uid = other if isinstance(other, str) else other.uid
            await expect(self.tile(uid)).to_have_attribute(
                "data-state", "connected", timeout=timeout
            )

    async def wait_video(self, other: Person | str, timeout: int = MEDIA_TIMEOUT_MS) -> None:
        """Wait until the tile of `other` plays video that is not black (sampled into a canvas)."""
        uid = other if isinstance(other, str) else other.uid
        await self.page.wait_for_function(
            """(uid) => {
                const v = document.querySelector(`.tile[data-uid="${uid}"] video`);
                if (!v || v.readyState < 2 || !v.videoWidth) return false;
                const q = v.getVideoPlaybackQuality ? v.getVideoPlaybackQuality() : null;
                if (q && q.totalVideoFrames < 5) return false;
                const c = document.createElement("canvas");
                c.width = 64; c.height = 36;
                const g = c.getContext("2d");
                g.drawImage(v, 0, 0, 64, 36);
                const d = g.getImageData(0, 0, 64, 36).data;
                let sum = 0;
                for (let i = 0; i < d.length; i += 4) sum += d[i] + d[i + 1] + d[i + 2];
                return sum / (d.length / 4) > 40;
            }""",
            arg=uid,
            timeout=timeout,
            polling=250,
        )

    async def safety_code(self, other: Person | str) -> str:
        uid = other if isinstance(other, str) else other.uid
        button = self.tile(uid).locator(".tile-safety")
        await expect(button).to_have_attribute("data-safety-code", SAFETY_CODE)
        return str(await button.get_attribute("data-safety-code"))

    async def open_panel(self, name: str, key: str | None = None) -> None:
        """Open the side panel titled `name` (its key, "qa", where not the title in lower case)."""
        await self.control(name, panel=True, key=key)
        await expect(self.page.locator("#panel-title")).to_have_text(name)

    async def control(self, name: str, *, panel: bool = False, key: str | None = None) -> None:
        """Press a control of the bar, or of its "More" menu where the window is too narrow.

        A panel's control (panel=True) is found by its panel (`key`, or `name` in lower case)
        and pressed only to open it.
        """
        page = self.page
        selector = f'[data-panel="{key or name.lower()}"]' if panel else None
        bar = page.locator(f".controls button.ctl{selector}") if selector else None
        if bar is None:
            bar = page.locator(".controls button.ctl").filter(has_text=name)
        if await bar.count():
            if not panel or await bar.first.get_attribute("aria-pressed") != "true":
                await bar.first.click()
            return
        if panel and await page.locator("#panel-title").text_content() == name:
            return
        await page.get_by_role("button", name="More options", exact=True).click()
        menu = page.get_by_role("menu", name="More options")
        if selector:
            item = menu.locator(selector)
        else:
            item = menu.get_by_role("menuitem", name=name).or_(
                menu.get_by_role("menuitemcheckbox", name=name)
            )
        await item.click()

    # ---------------------------------------------------------------------- host actions

    async def open_people(self) -> Any:
        """Open the people panel; returns it."""
        await self.open_panel("People")
        return self.page.locator(".side-panel")

    async def host_action(self, uid: str, action: str) -> Any:
        """Open a person's host actions in the people panel and press one; returns their row."""
        row = self.page.locator(f'.side-panel .people-list li[data-uid="{uid}"]')
        button = row.get_by_role("button", name=action, exact=True)
        # Choosing an action shuts the menu; one left open (opened, nothing chosen) stays open,
        # so toggle it only when it is shut.
        if not await button.is_visible():
            await row.get_by_role("button", name=re.compile("^Manage")).click()
        await button.click(timeout=CONNECT_TIMEOUT_MS)
        return row

    async def remove(self, uid: str, display_name: str) -> int:
        """As a host, remove someone from the meeting (people panel, then the confirmation);
        returns the click's Date.now() (the machine's clock, as ``dropped_link``'s times)."""
        await self.open_people()
        row = await self.host_action(uid, f"Remove {display_name} from the meeting")
        confirm = row.get_by_role("button", name="Remove", exact=True)
        return int(
            await confirm.evaluate(
                "(button) => { const t = Date.now(); button.click(); return t; }"
            )
        )

    async def watch_links(self) -> None:
        """From now on, note each connection the page's meeting drops (``dropped_link``), and
        when the meeting ends for this page (``meeting_ended_at``)."""
        await self.page.evaluate(_WATCH_LINKS)

    async def dropped_link(self, uid: str) -> dict[str, Any] | None:
        """The connection to ``uid`` the page's meeting dropped since ``watch_links``: ``at``
        (Date.now() when it left the meeting's peers), ``before`` (its state then) and ``reason``
        (why the app closed it, which it sets just after); None until it has been closed."""
        found: dict[str, Any] | None = await self.page.evaluate(
            """(uid) => {
                const d = window.__droppedLinks[uid];
                const reason = d ? d.link.closedReason : null;
                return reason ? { at: d.at, before: d.before, reason } : null;
            }""",
            uid,
        )
        return found

    async def meeting_ended_at(self) -> int | None:
        """Date.now() when the meeting ended for this page since ``watch_links``, or None."""
        ended: int | None = await self.page.evaluate("() => window.__meetingEndedAt")
        return ended

    # ---------------------------------------------------------------------- announcements

    async def record_announcements(self) -> None:
        """Keep each line added to the page's live regions (web/src/ui/announcer.ts) in
        window.__announced ("polite: Bob joined"), and the changes of every other live region
        but the chat's log in window.__otherLive (the room should have none)."""
        await self.page.evaluate(
            """() => {
                window.__announced = [];
                window.__otherLive = [];
                const live = '[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"],'
                    + ' [role="log"], [role="marquee"], [role="timer"]';
                new MutationObserver((records) => {
                    for (const r of records) {
                        const host = r.target.nodeType === 1 ? r.target : r.target.parentElement;
                        const region = host && host.closest(".announcer");
                        if (region) {
                            for (const n of r.addedNodes) window.__announced.push(
                                `${region.getAttribute("aria-live")}: ${n.textContent}`);
                            continue;
                        }
                        const other = host && host.closest(live);
                        if (other && !other.matches(".chat-log")) {
                            window.__otherLive.push(other.textContent);
                        }
                    }
                }).observe(document.body, { subtree: true, childList: true, characterData: true });
            }"""
        )

    async def other_live_changes(self, *, reset: bool = False) -> list[str]:
        """What changed in live regions other than the announcer since the last reset."""
        script = "() => { const seen = window.__otherLive; window.__otherLive = []; return seen; }"
        return [
            str(t)
            for t in await self.page.evaluate(script if reset else "() => window.__otherLive")
        ]

    async def announcements(self) -> list[str]:
        return [str(a) for a in await self.page.evaluate("() => window.__announced || []")]

    async def tab_to(self, target: Any, *, backwards: bool = False, presses: int = 60) -> None:
        """Press Tab (Shift+Tab) until `target` (a locator) has the focus."""
        key = "Shift+Tab" if backwards else "Tab"
        for _ in range(presses):
            if await target.evaluate("(e) => e === document.activeElement"):
                return
            await self.page.keyboard.press(key)
        await expect(target).to_be_focused(timeout=1)

    async def record_toasts(self) -> None:
        """Keep every toast's text in window.__toasts (toasts vanish after a few seconds)."""
        await self.page.evaluate(
            """() => {
                window.__toasts = window.__toasts || [];
                const seen = window.__toasts;
                new MutationObserver((records) => {
                    for (const r of records) for (const n of r.addedNodes) {
                        if (n.nodeType === 1 && n.classList.contains("toast")) {
                            seen.push(n.textContent);
                        }
                    }
                }).observe(document.body, { subtree: true, childList: true });
            }"""
        )

    async def forget_toasts(self) -> None:
        """From now on, wait_toast waits for a toast shown after this (the same words again)."""
        await self.page.evaluate("() => { (window.__toasts || []).length = 0; }")

    async def record_reactions(self) -> None:
        """Keep every reaction that floats over a tile in window.__reactions ("uid emoji"):
        a reaction floats for 4 s only."""
        await self.page.evaluate(
            """() => {
                window.__reactions = window.__reactions || [];
                const seen = window.__reactions;
                new MutationObserver((records) => {
                    for (const r of records) for (const n of r.addedNodes) {
                        if (n.nodeType !== 1) continue;
                        const found = n.matches(".reaction")
                            ? [n] : n.querySelectorAll(".reaction");
                        for (const e of found) {
                            const tile = e.closest(".tile");
                            seen.push(`${tile ? tile.dataset.uid : "?"} ${e.dataset.emoji}`);
                        }
                    }
                }).observe(document.body, { subtree: true, childList: true });
            }"""
        )

    async def wait_reaction(self, uid: str, emoji: str, timeout: int = MESSAGE_TIMEOUT_MS) -> None:
        await self.page.wait_for_function(
            "(want) => (window.__reactions || []).includes(want)",
            arg=f"{uid} {emoji}",
            timeout=timeout,
        )

    async def toasts(self) -> list[str]:
        """Every toast shown since record_toasts."""
        return [str(t) for t in await self.page.evaluate("() => window.__toasts || []")]

    async def wait_toast(self, text: str, timeout: int = MESSAGE_TIMEOUT_MS) -> None:
        await self.page.wait_for_function(
            "(text) => (window.__toasts || []).some((t) => t.includes(text))",
            arg=text,
            timeout=timeout,
        )

    async def tile_menu(self, uid: str, item: str) -> None:
        """Choose `item` in the menu of `uid`'s tile."""
        await self.tile(uid).get_by_role("button", name=re.compile("^Options for ")).click()
        await self.page.get_by_role("menuitem", name=item).click()

    # ----------------------------------------------------------------------------- chat

    async def send_chat(self, text: str, to: Person | None = None) -> None:
        await self.open_panel("Chat")
        await self.page.locator("#chat-to").select_option(to.uid if to else "")
        await self.page.get_by_label("Message", exact=True).fill(text)
        await self.page.get_by_role("button", name="Send message", exact=True).click()
        await expect(self.chat_message(text)).to_have_count(1)

    def chat_message(self, text: str) -> Any:
        return self.page.locator(".chat-log .chat-message", has_text=text)

    async def wait_chat(self, text: str, timeout: int = MESSAGE_TIMEOUT_MS) -> Any:
        await self.open_panel("Chat")
        message = self.chat_message(text)
        await expect(message).to_have_count(1, timeout=timeout)
        return message

    async def chat_texts(self) -> list[str]:
        await self.open_panel("Chat")
        return await self.page.locator(".chat-log .chat-text").all_text_contents()

    # ---------------------------------------------------------------------------- files

    async def track_progress(self) -> None:
        """Record every progress value the file list shows (to prove progress was displayed)."""
        await self.page.evaluate(
            """() => {
                window.__progress = [];
                const seen = window.__progress;
                const record = () => document.querySelectorAll(".file-row progress").forEach((p) =>
                    seen.push([p.closest(".file-row").dataset.direction, p.value, p.max]));
                new MutationObserver(record).observe(document.body, {
                    subtree: true, attributes: true, childList: true, attributeFilter: ["value"],
                });
            }"""
        )

    async def progress_seen(self, direction: str) -> list[tuple[float, float]]:
        values = await self.page.evaluate("() => window.__progress || []")
        return [(float(v), float(m)) for d, v, m in values if d == direction]

    async def received_file_sha256(self, name: str, timeout: int = 60_000) -> tuple[str, int]:
        row = self.page.locator('.file-row[data-direction="in"]', has_text=name)
        await expect(row).to_have_attribute("data-status", "done", timeout=timeout)
        link = row.locator("a[download]")
        await expect(link).to_have_attribute("download", name)
        digest, size = await link.evaluate(
            """async (a) => {
                const buffer = await (await fetch(a.href)).arrayBuffer();
                const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
                const hex = Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
                return [hex, buffer.byteLength];
            }"""
        )
        return str(digest), int(size)

    # ----------------------------------------------------------------------- whiteboard

    async def open_whiteboard(self) -> Any:
        button = self.page.get_by_role("button", name="Whiteboard", exact=True)
        if await button.get_attribute("aria-pressed") != "true":
            await button.click()
        canvas = self.page.locator(".board-canvas")
        await expect(canvas).to_be_visible()
        return canvas

    async def draw_stroke(self, points: list[tuple[float, float]]) -> None:
        """Draw with the mouse through fractions (0..1) of the canvas."""
        canvas = await self.open_whiteboard()
        box = await canvas.bounding_box()
        assert box is not None
        mouse = self.page.mouse
        x0, y0 = points[0]
        await mouse.move(box["x"] + x0 * box["width"], box["y"] + y0 * box["height"])
        await mouse.down()
        for x, y in points[1:]:
            await mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"], steps=8)
        await mouse.up()

    async def wait_ink(
        self, region: tuple[float, float, float, float], timeout: int = 20_000
    ) -> None:
        """Wait until the canvas has drawn pixels inside region (x0, y0, x1, y1 as fractions)."""
        await self.page.wait_for_function(
            """([x0, y0, x1, y1]) => {
                const c = document.querySelector(".board-canvas");
                if (!c || !c.width) return false;
                const g = c.getContext("2d");
                const x = Math.floor(x0 * c.width), y = Math.floor(y0 * c.height);
                const w = Math.max(1, Math.floor((x1 - x0) * c.width));
                const h = Math.max(1, Math.floor((y1 - y0) * c.height));
                const d = g.getImageData(x, y, w, h).data;
                let inked = 0;
                for (let i = 3; i < d.length; i += 4) if (d[i] > 0) inked++;
                return inked > 50;
            }""",
            arg=list(region),
            timeout=timeout,
            polling=200,
        )


def accessibility_problems(violations: list[dict[str, Any]]) -> list[str]:
    """The failing ones of axe's violations, one readable line per element."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            impact = node.get("impact") or violation.get("impact")
            if impact not in AXE_FAILING_IMPACTS and violation["id"] not in AXE_ALWAYS_FAILING:
                continue
            summary = " ".join(str(node["summary"]).split())
            where = f"{violation['id']} ({impact}) at {node['target']}"
            lines.append(f"- {where}: {violation['help']}. {summary}")
    return lines


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


async def video_call(host: Person, guest: Person, *, title: str) -> str:
    """`host` creates a meeting and joins it, `guest` joins; returns once both are connected and
    each plays the other's video. The meeting's id."""
    meeting_id = await host.create_meeting(title=title)
    await host.join_now()
    await guest.join(meeting_id)
    await host.wait_connected(guest)
    await guest.wait_video(host)
    await host.wait_video(guest)
    return meeting_id


async def selected_pair(person: Person, other_uid: str) -> dict[str, Any]:
    """The selected ICE candidate pair of `person`'s connection to `other_uid` (test hook)."""
    return dict(
        await person.page.evaluate(
            """async (uid) => {
                const link = window.__avmeets.currentView().meeting.links.get(uid);
                const stats = await link.pc.getStats();
                const all = new Map();
                stats.forEach((s) => all.set(s.id, s));
                let pair = null;
                for (const s of all.values()) {
                    if (s.type === "transport" && s.selectedCandidatePairId) {
                        pair = all.get(s.selectedCandidatePairId);
                    }
                }
                const local = all.get(pair.localCandidateId);
                const remote = all.get(pair.remoteCandidateId);
                return {
                    localAddress: local.address, localType: local.candidateType,
                    remoteAddress: remote.address, remoteType: remote.candidateType,
                    remoteSession: link.remoteSession,
                };
            }""",
            other_uid,
        )
    )


async def average_color(person: Person, uid: str) -> tuple[int, int, int]:
    """Mean RGB of the middle of `uid`'s tile video in `person`'s page."""
    r, g, b = await person.page.evaluate(
        """(uid) => {
            const v = document.querySelector(`.tile[data-uid="${uid}"] video`);
            const c = document.createElement("canvas");
            c.width = 32; c.height = 24;
            const g = c.getContext("2d");
            const w = v.videoWidth, h = v.videoHeight;
            g.drawImage(v, w / 4, h / 4, w / 2, h / 2, 0, 0, 32, 24);
            const d = g.getImageData(0, 0, 32, 24).data;
            const sum = [0, 0, 0];
            for (let i = 0; i < d.length; i += 4) {
                sum[0] += d[i]; sum[1] += d[i + 1]; sum[2] += d[i + 2];
            }
            const n = d.length / 4;
            return sum.map((s) => Math.round(s / n));
        }""",
        uid,
    )
    return int(r), int(g), int(b)
