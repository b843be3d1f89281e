"""The seeded clue taxonomy comes back into an empty tree, and only into an empty one."""

from __future__ import annotations

import pytest

from cases.models import ClueTaxonomyNode
from cases.taxonomy_seed import SEED, taxonomy_plant_if_empty

pytestmark = pytest.mark.django_db


def _seed_size(entries=SEED) -> int:
    return sum(1 + _seed_size(children) for _slug, _label, _text, children in entries)


def test_an_emptied_tree_is_planted_again_after_migrate():
    ClueTaxonomyNode.objects.filter(parent__isnull=False).delete()
    ClueTaxonomyNode.objects.all().delete()

    taxonomy_plant_if_empty()

    assert ClueTaxonomyNode.objects.count() == _seed_size()
    sockets = ClueTaxonomyNode.objects.get(slug="sockets")
    assert (sockets.path, sockets.parent.slug) == ("electrical/sockets/", "electrical")


def test_a_node_an_admin_removed_is_not_planted_again():
    ClueTaxonomyNode.objects.get(slug="switches").delete()
    taxonomy_plant_if_empty()
    assert not ClueTaxonomyNode.objects.filter(slug="switches").exists()
