"""Every page fits a phone, and the header one line of a laptop, for every demo role.

At 390 px no page may scroll sideways (a table too wide scrolls in its own box) and
every menu item is on the screen or one press of the Menu button away; at 1366 px the
header is a single line. The pages come from the URL configuration, so a page added
later is checked without anyone remembering to list it; one with parameters in its
path needs a row in ``PATH_ARGUMENTS`` (``test_every_page_with_parameters_has_a_row``
says which). A page a role may not open (403, 404) or that only takes a POST (405)
needs no layout.

The data is the demo data of ``make run`` (long agency names, every role), with a few
records added to stretch the layout: a long unbroken title, hash values, a very long
e-mail address, grants and a deconfliction notice.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cases.choices import Distribution
from cases.exceptions import HashConflict
from cases.models import Clue, ClueTaxonomyNode, HashImportJob, Series, TriageJob, Victim
from cases.services import clue_create, known_hashes_add, record_grant, series_create
from cases.services.imports import hash_import_create
from cases.services.triage import triage_job_create
from cases.services.victims import victim_create
from tests.conftest import current_code
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, PendingUserFactory, UserFactory
from victimid.demo import DEMO_DOMAIN, DEMO_PASSWORD, demo_email
from victimid.middleware import PUBLIC, _view_flag
from victimid.models import Agency, ApiToken, User
from victimid.services.tokens import api_token_issue

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
# One demo account per role (victimid/demo.py).
ROLES = ("investigator.nl", "coordinator.nl", "oversight", "auditor", "admin")
# The web pages (and what they include); the API answers JSON, and its documentation
# page is among EXTRA_PATHS. Django's admin is visited by the admin only.
WEB_URLCONFS = {"victimid.urls", "cases.urls"}
NOT_A_PAGE_FOR_THIS_ROLE = {403, 404, 405}

LONG_EMAIL = "first.middle.lastname.liaison-officer@regional-police-department.example.org"
LONG_TITLE = "IMG_2026_kitchen_series_seized_from_device_A_partition_3_working_copy"


@dataclass
class World:
    """The records whose pages have parameters in their paths."""

    series: Series
    clue: Clue
    victim: Victim
    pending: User
    token: ApiToken
    grant_key: str
    triage_job: TriageJob
    import_job: HashImportJob


def _series(world: World) -> dict[str, object]:
    return {"code": world.series.code}


def _clue(world: World) -> dict[str, object]:
    return {"pk": world.clue.pk}


def _victim(world: World) -> dict[str, object]:
    return {"code": world.victim.code}


def _pending(world: World) -> dict[str, object]:
    return {"user_id": world.pending.pk}


def _set_password(world: World) -> dict[str, object]:
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(world.pending.pk)),
        "token": default_token_generator.make_token(world.pending),
    }


PATH_ARGUMENTS: dict[str, Callable[[World], dict[str, object]]] = {
    "set-password": _set_password,
    "token-revoke": lambda world: {"token_id": world.token.pk},
    "vetting-user": _pending,
    "vetting-decide": _pending,
    "vetting-roles": _pending,
    "vetting-release": _pending,
    "series-detail": _series,
    "series-edit": _series,
    "series-hashes-add": _series,
    "series-grant-add": _series,
    "series-grant-revoke": lambda world: {**_series(world), "key": world.grant_key},
    "clue-create": _series,
    "clue-detail": _clue,
    "clue-edit": _clue,
    "clue-delete": _clue,
    "clue-assess": _clue,
    "clue-route": _clue,
    "series-claim": _series,
    "series-claim-withdraw": _series,
    # Pages that take only a POST (405 to a GET): any record's key will do.
    "routing-pass": lambda world: {"pk": 1},
    "routing-withdraw": lambda world: {"pk": 1},
    "suggestion-decide": lambda world: {"pk": 1},
    "notice-acknowledge": lambda world: {"kind": "series", "pk": 1},
    "session-end": lambda world: {"session_id": 1},
    "vetting-end-sessions": lambda world: {"user_id": world.pending.pk},
    "triage-job-cancel": lambda world: {"pk": world.triage_job.pk},
    "triage-job-detail": lambda world: {"pk": world.triage_job.pk},
    "hash-import-list": _series,
    "hash-import-detail": lambda world: {"pk": world.import_job.pk},
    "hash-import-cancel": lambda world: {"pk": world.import_job.pk},
    "audit-actor": lambda world: {"user_id": world.token.user_id},
    "clue-grant-add": _clue,
    "clue-grant-revoke": lambda world: {**_clue(world), "key": world.grant_key},
    "victim-series-follow": _series,
    "victim-detail": _victim,
    "victim-edit": _victim,
    "victim-record-outcome": _victim,
    "victim-grant-add": _victim,
    "victim-grant-revoke": lambda world: {**_victim(world), "key": world.grant_key},
}

# Views of a page that look different enough to check too, and the API's documentation.
EXTRA_PATHS: list[Callable[[World], str]] = [
    lambda world: f"{reverse('victim-list')}?series={world.series.code}",
    lambda world: f"{reverse('clue-search')}?q=socket",
    lambda world: reverse("api-docs"),
]


def _web_routes() -> Iterator[URLPattern]:
    def walk(patterns: list[Any], inside: bool) -> Iterator[URLPattern]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                module = getattr(entry.urlconf_module, "__name__", "")
                yield from walk(entry.url_patterns, inside or module in WEB_URLCONFS)
            elif inside and entry.name:
                yield entry

    yield from walk(get_resolver().url_patterns, False)


def _parameters(route: URLPattern) -> set[str]:
    return set(route.pattern.regex.groupindex)


def _path(route: URLPattern, world: World) -> str:
    if not _parameters(route):
        return reverse(route.name)
    return reverse(route.name, kwargs=PATH_ARGUMENTS[route.name](world))


def _admin_paths() -> list[str]:
    """Django's admin: its index and the list of each kind of record registered in it."""
    return [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]


def test_every_page_with_parameters_has_a_row():
    routes = list(_web_routes())
    assert len(routes) > 30, "the walk of the URL configuration found too few pages"
    needing = {route.name for route in routes if _parameters(route)}
    assert needing - set(PATH_ARGUMENTS) == set(), "add these pages to PATH_ARGUMENTS"
    assert set(PATH_ARGUMENTS) - needing == set(), "PATH_ARGUMENTS names a page that is gone"


def _agency_of(local: str) -> Agency:
    """The agency of a demo account (``investigator.es``...)."""
    agency = User.objects.get(email=demo_email(local)).agency
    assert agency is not None
    return agency


def _build_world() -> World:
    """The demo data, and records that stretch a page: long words, hashes, grants."""
    call_command("seed_demo", stdout=io.StringIO())
    noor = User.objects.get(email=demo_email("investigator.nl"))
    elena = User.objects.get(email=demo_email("investigator.es"))
    series = series_create(actor=noor, title=LONG_TITLE, distribution=Distribution.NETWORK)
    values = [f"{n:064x}" for n in range(3)]
    known_hashes_add(
        actor=noor,
        series=series,
        entries=[{"algorithm": "sha256", "value": value, "vics_category": 1} for value in values],
    )
    clue = clue_create(
        actor=noor,
        series=series,
        taxonomy_node=ClueTaxonomyNode.objects.get(slug="sockets"),
        title=LONG_TITLE,
        description="A label reads Donaudampfschifffahrtsgesellschaftskapitaensmuetzenabzeichen.",
        languages=["nld"],
        country_hypotheses=[("NL", "high"), ("BE", "low")],
        distribution=Distribution.NETWORK,
    )
    victim = victim_create(actor=noor, series=[series], distribution=Distribution.NETWORK)
    far_away = UserFactory(email=LONG_EMAIL, agency=_agency_of("investigator.br"))
    for record in (series, clue, victim):
        record_grant(actor=noor, record=record, agency=_agency_of("investigator.es"))
        record_grant(actor=noor, record=record, user=far_away)
    # Elena submits a value Noor's series holds: both dashboards show the notice.
    theirs = series_create(actor=elena, title="Cabin hallway", distribution=Distribution.AGENCY)
    with pytest.raises(HashConflict):
        known_hashes_add(
            actor=elena, series=theirs, entries=[{"algorithm": "sha256", "value": values[0]}]
        )
    pending = PendingUserFactory(email="pending." + LONG_EMAIL, agency=_agency_of("coordinator.nl"))
    token, _text = api_token_issue(user=noor, name="Case management system", days=30)
    # A seizure's list waiting for the worker: its page shows the progress bar.
    triage_job = triage_job_create(
        actor=noor,
        upload=SimpleUploadedFile("seizure.txt", "\n".join(values).encode()),
        file_format="",
    )
    # A hash file waiting to be imported into the series: its page shows the progress bar.
    import_job = hash_import_create(
        actor=noor,
        series=series,
        upload=SimpleUploadedFile(LONG_TITLE + ".txt", "\n".join(values).encode()),
    )
    return World(
        series=series,
        clue=clue,
        victim=victim,
        pending=pending,
        token=token,
        grant_key=f"agency-{_agency_of('investigator.es').pk}",
        triage_job=triage_job,
        import_job=import_job,
    )


# --- What is checked on a page ----------------------------------------------------------

OVERFLOW = """() => {
  const width = window.innerWidth;
  // For the message: the innermost elements that reach past the screen's right edge
  // (inside a .table-scroll box that is expected, unless they escape it).
  const culprits = [...document.body.querySelectorAll('*')]
    .filter(el => el.getBoundingClientRect().right > width + 0.5)
    .filter(el => ![...el.children].some(c => c.getBoundingClientRect().right > width + 0.5))
    .sort((a, b) => !!a.closest('.table-scroll') - !!b.closest('.table-scroll'))
    .slice(0, 5)
    .map(el => `<${el.tagName} class="${el.className}"> ${el.textContent.trim().slice(0, 40)}`);
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, culprits};
}"""

MENU_ITEMS = """() => [...document.querySelectorAll(
    '.site-header nav a, .site-header .logout button')].map(el => {
  const box = el.getBoundingClientRect();
  const shown = box.width > 0 && box.height > 0 && box.left >= 0
    && box.right <= window.innerWidth + 0.5 && getComputedStyle(el).visibility !== 'hidden';
  return {label: el.textContent.trim(), shown};
})"""

# The menu items off the screen, and those still off it once the Menu button is pressed
# (pressed again afterwards, so the page is left as it was). One round trip per page: the
# real pointer presses the button at every sign-out.
MENU_REACH = """(itemsOf) => {
  const hidden = () => itemsOf().filter(item => !item.shown).map(item => item.label);
  const before = hidden();
  const toggle = document.querySelector('.site-header .menu-toggle');
  const pressable = !!toggle && toggle.offsetParent !== null;
  if (!before.length || !pressable) return {before, toggle: pressable};
  toggle.click();
  const after = hidden(), opened = toggle.getAttribute('aria-expanded');
  toggle.click();
  return {before, toggle: true, after, opened, closed: toggle.getAttribute('aria-expanded')};
}"""


# At 1366 px: the menu items share one offsetTop, and everything in the header (the
# brand, the menu, who is signed in and the Sign out button) shares one horizontal line.
HEADER_LINE = """() => {
  if (!document.querySelector('.site-header')) return null;  // Django's admin: its own header
  const menu = [...document.querySelectorAll('.site-header nav a')];
  const all = [...document.querySelectorAll(
    '.site-header .brand, .site-header nav a, .site-header .who, .site-header .logout button')];
  const boxes = all.map(el => el.getBoundingClientRect());
  return {
    menuTops: menu.map(a => a.offsetTop),
    oneLine: Math.max(...boxes.map(b => b.top)) < Math.min(...boxes.map(b => b.bottom)),
    height: document.querySelector('.site-header').getBoundingClientRect().height,
  };
}"""


@dataclass
class Findings:
    """What a walk over the pages found: problems, and every page it checked."""

    problems: list[str] = field(default_factory=list)
    checked: dict[str, list[str]] = field(default_factory=dict)

    def page(self, who: str, path: str) -> None:
        self.checked.setdefault(who, []).append(path)

    def report(self) -> str:
        return "\n".join(self.problems)


def _check_fits(page: Any, who: str, findings: Findings) -> None:
    layout = page.evaluate(OVERFLOW)
    if layout["scrollWidth"] > layout["innerWidth"]:
        findings.problems.append(
            f"{who} {page.url}: {layout['scrollWidth']} px wide at {layout['innerWidth']} px;"
            f" too wide: {layout['culprits']}"
        )


def _check_menu_reachable(page: Any, who: str, findings: Findings) -> None:
    reach = page.evaluate(f"() => ({MENU_REACH})({MENU_ITEMS})")
    if not reach["before"]:
        return
    if not reach["toggle"]:
        findings.problems.append(f"{who} {page.url}: {reach['before']} off screen, no Menu button")
    elif reach["after"] or (reach["opened"], reach["closed"]) != ("true", "false"):
        findings.problems.append(f"{who} {page.url}: the Menu button does not reveal all: {reach}")


def _sign_in_as(page: Any, base_url: str, user: User) -> None:
    from playwright.sync_api import expect

    password = DEMO_PASSWORD if user.email.endswith("@" + DEMO_DOMAIN) else PASSWORD
    sign_in(page, base_url, user.email, password)
    expect(page).to_have_url(re.compile(r"/mfa/(verify|enrol)/$"))


def _verify(page: Any, user: User) -> None:
    from playwright.sync_api import expect

    page.get_by_label("One-time code").fill(current_code(user))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Welcome"))).to_be_visible()


def _sign_out(page: Any, base_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(base_url + reverse("dashboard"))
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible():
        toggle.click()
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page).to_have_url(re.compile(r"/login/"))


# --- The tests -------------------------------------------------------------------------


def test_every_page_of_every_role_fits_a_phone(live_server, browser_page, csp_violations):
    page = browser_page
    page.set_viewport_size(PHONE)
    world = _build_world()
    routes = list(_web_routes())
    findings = Findings()
    probed: set[str] = set()
    post_only: set[str] = set()
    seen: set[tuple[str, str]] = set()

    def inspect(who: str, path: str) -> None:
        findings.page(who, path)
        if (who, page.url) in seen:  # a redirect to a page already inspected
            return
        seen.add((who, page.url))
        _check_fits(page, who, findings)
        _check_menu_reachable(page, who, findings)

    def visit(who: str, path: str) -> None:
        url = live_server.url + path
        # A route that takes only a POST answers 405 without a body, for which Chromium
        # shows its own error page, and that page cuts the next visit short: each path is
        # asked once without the browser first (require_POST answers before any role check).
        if path not in probed:
            probed.add(path)
            if page.request.get(url).status == 405:
                post_only.add(path)
        if path in post_only or path.endswith(".csv"):
            return  # a download (CSV export) is no page to lay out
        status = page.goto(url).status
        if status in NOT_A_PAGE_FOR_THIS_ROLE:
            return
        assert status == 200, f"{who} {path}: {status}"
        inspect(who, path)

    # Before signing in: the public pages; then enrolling a second factor.
    public = [route for route in routes if _view_flag(route.callback, PUBLIC)]
    for route in public:
        visit("anonymous", _path(route, world))
    newcomer = UserFactory(email="newcomer." + LONG_EMAIL, totp=False)
    _sign_in_as(page, live_server.url, newcomer)
    inspect("newcomer", reverse("mfa-enrol"))
    _sign_out(page, live_server.url)

    for role in ROLES:
        user = User.objects.get(email=demo_email(role))
        _sign_in_as(page, live_server.url, user)
        inspect(role, reverse("mfa-verify"))
        _verify(page, user)
        paths = [_path(route, world) for route in routes if route not in public]
        paths += [extra(world) for extra in EXTRA_PATHS]
        if user.is_staff:
            paths += _admin_paths()
        for path in paths:
            visit(role, path)
        _sign_out(page, live_server.url)

    assert not findings.problems, findings.report()
    # The walk really reached the record pages and each role's own pages.
    series, clue, victim = world.series.code, world.clue.pk, world.victim.code
    for role in ("investigator.nl", "coordinator.nl"):
        assert {
            f"/series/{series}/",
            f"/series/{series}/edit/",
            f"/clues/{clue}/",
            f"/clues/{clue}/edit/",
            f"/victims/{victim}/",
            f"/victims/{victim}/edit/",
            f"/victims/{victim}/record/",
        } <= set(findings.checked[role])
    assert "/vetting/" in findings.checked["coordinator.nl"]
    assert "/vetting/" in findings.checked["admin"] and "/admin/" in findings.checked["admin"]
    assert f"/series/{series}/" not in findings.checked["oversight"]
    assert csp_violations == []


def test_the_header_is_one_line_at_1366_px_for_every_role(live_server, browser_page):
    page = browser_page
    page.set_viewport_size(LAPTOP)
    call_command("seed_demo", stdout=io.StringIO())
    findings = Findings()

    for role in ROLES:
        user = User.objects.get(email=demo_email(role))
        _sign_in_as(page, live_server.url, user)
        _verify(page, user)
        menu = page.evaluate(
            "() => [...document.querySelectorAll('.site-header nav a')]"
            ".map(a => a.getAttribute('href'))"
        )
        assert len(menu) >= 3, f"{role}: {menu}"
        for path in menu:  # the current page's item is bold: each one is measured
            page.goto(live_server.url + path)
            header = page.evaluate(HEADER_LINE)
            if header is None:
                continue
            findings.page(role, path)
            _check_fits(page, role, findings)
            if not header["oneLine"] or len(set(header["menuTops"])) != 1:
                findings.problems.append(f"{role} {path}: the header wraps: {header}")
        _sign_out(page, live_server.url)

    assert not findings.problems, findings.report()
