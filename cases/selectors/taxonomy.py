"""Reading the clue taxonomy."""

from __future__ import annotations

from cases.models import ClueTaxonomyNode

__all__ = ["taxonomy_tree"]


def taxonomy_tree() -> list[ClueTaxonomyNode]:
    """Every taxonomy node in tree order (by path: each parent before its children)."""
    return list(ClueTaxonomyNode.objects.select_related("parent").order_by("path"))
