"""Investigators at work, for Locust: ``bench/bench_load.py`` runs it headless.

Each simulated investigator signs in with an API token of their own (a seeded
investigator of the access benchmark's data, ``LOAD_TOKENS_FILE``), then, with a few
seconds of thought between steps: lists the series they may see, opens one and its
clues, opens a clue, searches the clues for a word, and now and then posts a clue,
assesses a clue or looks up 1,000 hash values. Requests are named by route
(``/api/v1/series/[code]``), so the figures are per endpoint.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import secrets
from pathlib import Path

from locust import HttpUser, between, task

_TOKENS = json.loads(Path(os.environ["LOAD_TOKENS_FILE"]).read_text())
_NEXT = itertools.count()
ASSESSMENT_COMMENT = "Load test assessment"
COUNTRIES = ("NL", "DE", "FR", "ES", "IT", "PL", "TH", "PH", "BR", "US")
LOOKUP_SIZE = 1000
WORDS = ("socket", "window", "curtain", "label", "bottle", "tile", "poster", "radiator")


class Investigator(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        token = _TOKENS[next(_NEXT) % len(_TOKENS)]
        self.client.headers["Authorization"] = f"Bearer {token}"
        self.series_codes: list[str] = []
        self.clue_ids: list[int] = []
        self._list_series()

    def _list_series(self) -> None:
        with self.client.get(
            "/api/v1/series", name="/api/v1/series", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
            self.series_codes = [s["code"] for s in response.json()["results"]]

    @task(2)
    def list_series(self) -> None:
        self._list_series()

    @task(3)
    def view_series_and_its_clues(self) -> None:
        if not self.series_codes:
            return
        code = random.choice(self.series_codes)
        self.client.get(f"/api/v1/series/{code}", name="/api/v1/series/[code]")
        with self.client.get(
            "/api/v1/clues",
            params={"series": code},
            name="/api/v1/clues?series=[code]",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
            self.clue_ids = [clue["id"] for clue in response.json()["results"]][:20]

    @task(3)
    def view_clue(self) -> None:
        if self.clue_ids:
            clue = random.choice(self.clue_ids)
            self.client.get(f"/api/v1/clues/{clue}", name="/api/v1/clues/[id]")

    @task(3)
    def search_clues(self) -> None:
        self.client.get(
            "/api/v1/clues", params={"q": random.choice(WORDS)}, name="/api/v1/clues?q=[term]"
        )

    @task(1)
    def post_clue(self) -> None:
        if not self.series_codes:
            return
        body = {
            "series": random.choice(self.series_codes),
            "taxonomy_node": "flora",
            # Words, not digits: a run of digits in a title reads as a telephone number,
            # which the clue rules refuse.
            "title": f"Load test palm {random.choice(WORDS)} {random.choice(WORDS)}",
            "description": "A palm tree seen through the window, fronds to the left.",
            "distribution": "agency",
        }
        with self.client.post(
            "/api/v1/clues", json=body, name="POST /api/v1/clues", catch_response=True
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(1)
    def assess_clue(self) -> None:
        if not self.clue_ids:
            return
        clue = random.choice(self.clue_ids)
        verdict = random.choice(["recognised", "not_recognised", "unsure"])
        # Who does not recognise a clue attributes it to no country (the rule refuses it).
        attributions = (
            []
            if verdict == "not_recognised"
            else [{"country": random.choice(COUNTRIES), "confidence": "low"}]
        )
        body = {"verdict": verdict, "attributions": attributions, "comment": ASSESSMENT_COMMENT}
        with self.client.post(
            f"/api/v1/clues/{clue}/assessments",
            json=body,
            name="POST /api/v1/clues/[id]/assessments",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(1)
    def look_up_hashes(self) -> None:
        # MD5-shaped values: the seeded data holds no known hashes, so each is a miss,
        # which costs the lookup as much as a hit (one index probe per value).
        values = [secrets.token_hex(16) for _ in range(LOOKUP_SIZE)]
        with self.client.post(
            "/api/v1/hashes/lookup",
            json={"values": values},
            name="POST /api/v1/hashes/lookup (1,000)",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")
